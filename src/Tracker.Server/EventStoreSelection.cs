using Microsoft.Extensions.DependencyInjection.Extensions;
using Tracker.Events.Postgres;
using Tracker.Events.Sqlite;
using Tracker.Events.Storage;
using Tracker.Events.Telemetry;

namespace Tracker.Server;

/// <summary>Storage:Provider: the event store.</summary>
public enum StorageProvider
{
    /// <summary>The embedded SQLite store, on ConnectionStrings:Sqlite (the default).</summary>
    Sqlite,

    /// <summary>The PostgreSQL store, on ConnectionStrings:Postgres.</summary>
    Postgres,
}

/// <summary>The "Storage" configuration section.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>Sqlite (the default) or Postgres, in any case.</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;
}

/// <summary>The event store named by Storage:Provider.</summary>
internal static class EventStoreSelection
{
    /// <summary>
    /// Registers the SQLite store (Storage:Provider Sqlite, the default) or the PostgreSQL one
    /// (Postgres), behind an <see cref="InstrumentedEventStore"/> that measures its calls. Any
    /// other value stops the host at start-up, with a message naming the setting and its values;
    /// the default store is registered meanwhile, so that the host can be built to say so, and is
    /// never opened.
    /// </summary>
    public static IServiceCollection AddEventStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().BindConfigurationCheckingEnums(StorageOptions.SectionName).ValidateOnStart();
        var configured = configuration[$"{StorageOptions.SectionName}:{nameof(StorageOptions.Provider)}"];
        var provider = configured is not null && EnumSettings.TryParse(configured, out StorageProvider named) ? named : StorageProvider.Sqlite;
        return provider switch
        {
            StorageProvider.Postgres => services.AddPostgresEventStore(configuration).Instrumented<PostgresEventStore>(StoreTelemetry.Postgresql),
            _ => services.AddSqliteEventStore(configuration).Instrumented<SqliteEventStore>(StoreTelemetry.Sqlite),
        };
    }

    /// <summary>Makes the <see cref="IEventStore"/> an <see cref="InstrumentedEventStore"/> over <typeparamref name="TStore"/>.</summary>
    private static IServiceCollection Instrumented<TStore>(this IServiceCollection services, string system)
        where TStore : IEventStore =>
        services.Replace(ServiceDescriptor.Singleton<IEventStore>(provider => new InstrumentedEventStore(
            provider.GetRequiredService<TStore>(),
            system,
            provider.GetRequiredService<StoreTelemetry>(),
            provider.GetRequiredService<EventMetrics>())));
}
