using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Events.Storage;

namespace Tracker.Events.Sqlite;

public static class SqliteServiceCollectionExtensions
{
    public const string DefaultConnectionString = "Data Source=data/tracker.db";

    /// <summary>
    /// Registers the SQLite store as the IEventStore, on ConnectionStrings:Sqlite (default
    /// "Data Source=data/tracker.db", relative to the working directory).
    /// </summary>
    public static IServiceCollection AddSqliteEventStore(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Sqlite") is { Length: > 0 } configured
            ? configured
            : DefaultConnectionString;
        services.AddSingleton(new SqliteEventStore(connectionString));
        services.AddSingleton<IEventStore>(sp => sp.GetRequiredService<SqliteEventStore>());
        return services;
    }
}
