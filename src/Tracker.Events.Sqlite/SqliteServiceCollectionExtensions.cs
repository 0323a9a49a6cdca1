using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tracker.Events.Storage;

namespace Tracker.Events.Sqlite;

public static class SqliteServiceCollectionExtensions
{
    public const string DefaultConnectionString = "Data Source=data/tracker.db";

    /// <summary>
    /// Registers the SQLite store as the IEventStore, on ConnectionStrings:Sqlite (default
    /// "Data Source=data/tracker.db", relative to the working directory), logging to the host's
    /// loggers when there are any, and the notification store in the same file, which writes
    /// through the event store's write connection.
    /// </summary>
    public static IServiceCollection AddSqliteEventStore(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Sqlite") is { Length: > 0 } configured
            ? configured
            : DefaultConnectionString;
        services.AddSingleton(sp => new SqliteEventStore(
            connectionString,
            sp.GetService<ILogger<SqliteEventStore>>() ?? NullLogger<SqliteEventStore>.Instance));
        services.AddSingleton<IEventStore>(sp => sp.GetRequiredService<SqliteEventStore>());
        services.AddSingleton(sp => SqliteNotificationDatabase.CreateStore(sp.GetRequiredService<SqliteEventStore>()));
        return services;
    }
}
