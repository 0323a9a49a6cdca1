using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
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

/// <summary>The rule across settings of the Storage section: PostgreSQL needs its connection string.</summary>
internal sealed class StorageOptionsValidator(IConfiguration configuration) : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options) =>
        options.Provider == StorageProvider.Postgres && PostgresServiceCollectionExtensions.FindConnectionStringProblem(configuration) is { } problem
            ? ValidateOptionsResult.Fail(problem)
            : ValidateOptionsResult.Success;
}

/// <summary>The event store named by Storage:Provider.</summary>
internal static class EventStoreSelection
{
    /// <summary>
    /// Registers the SQLite store (Storage:Provider Sqlite, the default) or the PostgreSQL one
    /// (Postgres), behind an <see cref="InstrumentedEventStore"/> that measures its calls. Any
    /// other value, or Postgres without a usable ConnectionStrings:Postgres, stops the host at
    /// start-up with a message naming the setting; the default store is registered meanwhile, so
    /// that the host can be built to say so, and is never opened.
    /// </summary>
    public static IServiceCollection AddEventStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().BindConfigurationCheckingEnums(StorageOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        var configured = configuration[$"{StorageOptions.SectionName}:{nameof(StorageOptions.Provider)}"];
        var provider = configured is not null && EnumSettings.TryParse(configured, out StorageProvider named) ? named : StorageProvider.Sqlite;
        return provider == StorageProvider.Postgres && PostgresServiceCollectionExtensions.FindConnectionStringProblem(configuration) is null
            ? services.AddPostgresEventStore(configuration).Instrumented<PostgresEventStore>(StoreTelemetry.Postgresql)
            : services.AddSqliteEventStore(configuration).Instrumented<SqliteEventStore>(StoreTelemetry.Sqlite);
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
