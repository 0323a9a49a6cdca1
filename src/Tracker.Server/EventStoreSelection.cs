using Microsoft.Extensions.DependencyInjection.Extensions;
using Tracker.Events.Postgres;
using Tracker.Events.Sqlite;
using Tracker.Events.Storage;
using Tracker.Events.Telemetry;

namespace Tracker.Server;

/// <summary>The event store named by Storage:Provider.</summary>
internal static class EventStoreSelection
{
    /// <summary>
    /// Registers the SQLite store (Storage:Provider "Sqlite", the default) or the PostgreSQL one
    /// ("Postgres"), case-insensitively, behind an <see cref="InstrumentedEventStore"/> that
    /// measures its calls; any other value stops start-up with a message naming it.
    /// </summary>
    public static IServiceCollection AddEventStore(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = configuration["Storage:Provider"];
        return provider?.ToLowerInvariant() switch
        {
            null or "" or "sqlite" => services.AddSqliteEventStore(configuration).Instrumented<SqliteEventStore>(StoreTelemetry.Sqlite),
            "postgres" => services.AddPostgresEventStore(configuration).Instrumented<PostgresEventStore>(StoreTelemetry.Postgresql),
            _ => throw new InvalidOperationException($"Storage:Provider '{provider}' is not supported; use Sqlite or Postgres."),
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
