using Tracker.Events.Postgres;
using Tracker.Events.Sqlite;

namespace Tracker.Server;

/// <summary>The event store named by Storage:Provider.</summary>
internal static class EventStoreSelection
{
    /// <summary>
    /// Registers the SQLite store (Storage:Provider "Sqlite", the default) or the PostgreSQL one
    /// ("Postgres"), case-insensitively; any other value stops start-up with a message naming it.
    /// </summary>
    public static IServiceCollection AddEventStore(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = configuration["Storage:Provider"];
        return provider?.ToLowerInvariant() switch
        {
            null or "" or "sqlite" => services.AddSqliteEventStore(configuration),
            "postgres" => services.AddPostgresEventStore(configuration),
            _ => throw new InvalidOperationException($"Storage:Provider '{provider}' is not supported; use Sqlite or Postgres."),
        };
    }
}
