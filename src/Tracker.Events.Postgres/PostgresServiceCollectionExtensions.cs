using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Tracker.Events.Storage;
using Tracker.Events.Watching;

namespace Tracker.Events.Postgres;

public static class PostgresServiceCollectionExtensions
{
    public const string ConnectionStringName = "Postgres";

    /// <summary>
    /// Why <c>ConnectionStrings:Postgres</c> cannot be used, as a sentence naming it: unset, or not
    /// a PostgreSQL connection string (the parser's message names the bad keyword and never echoes
    /// a value such as a password). Null when it can.
    /// </summary>
    public static string? FindConnectionStringProblem(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return "ConnectionStrings:Postgres is not set. The PostgreSQL store needs it, e.g. " +
                "ConnectionStrings__Postgres='Host=db;Port=5432;Username=tracker;Password=...;Database=tracker'.";
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
            return null;
        }
        catch (ArgumentException exception)
        {
            return $"ConnectionStrings:Postgres is not a valid PostgreSQL connection string: {exception.Message}";
        }
    }

    /// <summary>
    /// Registers the PostgreSQL store as the <see cref="IEventStore"/>, over one pooled
    /// <see cref="NpgsqlDataSource"/> built from <c>ConnectionStrings:Postgres</c>, the
    /// notification store in the same schema and pool, and the listener that wakes this
    /// process's watchers on changes committed by any replica.
    /// </summary>
    /// <exception cref="InvalidOperationException">The connection string is missing or malformed.</exception>
    public static IServiceCollection AddPostgresEventStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        if (FindConnectionStringProblem(configuration) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        var connectionString = configuration.GetConnectionString(ConnectionStringName)!;
        services.TryAddSingleton(provider => PostgresConnectionFactory.Create(connectionString, provider.GetService<ILoggerFactory>()));
        services.TryAddSingleton<PostgresEventStore>();
        services.AddSingleton<IEventStore>(provider => provider.GetRequiredService<PostgresEventStore>());
        services.AddSingleton(provider => PostgresNotificationDatabase.CreateStore(
            provider.GetRequiredService<NpgsqlDataSource>(),
            provider.GetRequiredService<PostgresEventStore>(),
            provider.GetService<ILogger<PostgresEventStore>>() ?? NullLogger<PostgresEventStore>.Instance));

        // Changes committed through other replicas reach this one's watchers.
        services.TryAddSingleton<ChangeSignal>();
        services.AddHostedService<PostgresChangeListener>();
        return services;
    }
}
