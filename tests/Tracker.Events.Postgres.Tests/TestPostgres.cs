using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Tracker.Events.Notifications;
using Tracker.Events.Postgres;

namespace Tracker.Events.Postgres.Tests;

/// <summary>
/// The PostgreSQL server the tests use: the connection string in TRACKER_TEST_POSTGRES, or by
/// default <see cref="DefaultConnectionString"/>, which is where build/postgres-test-server.sh
/// starts one. Tests isolate themselves by schema, never by resetting the database.
/// </summary>
internal static class TestPostgres
{
    public const string EnvironmentVariable = "TRACKER_TEST_POSTGRES";
    public const string DefaultConnectionString = "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static readonly Lazy<NpgsqlDataSource> Admin = new(() => NpgsqlDataSource.Create(
        new NpgsqlConnectionStringBuilder(ConnectionString) { Timeout = 5, Pooling = true, ApplicationName = "tracker-tests" }.ConnectionString));

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } given ? given : DefaultConnectionString;

    /// <summary>A new empty schema; dropped, with everything in it, when disposed.</summary>
    public static async Task<TestSchema> CreateSchemaAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteAsync($"CREATE SCHEMA {name}");
        return new TestSchema(name, WithSearchPath(ConnectionString, name));
    }

    public static string WithSearchPath(string connectionString, string schema) =>
        new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema }.ConnectionString;

    public static async Task ExecuteAsync(string sql)
    {
        try
        {
            await using var command = Admin.Value.CreateCommand(sql);
            await command.ExecuteNonQueryAsync().WaitAsync(Timeout);
        }
        catch (NpgsqlException exception) when (exception is not PostgresException)
        {
            throw Unreachable(exception);
        }
    }

    public static async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = Admin.Value.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync().WaitAsync(Timeout))!;
    }

    private static InvalidOperationException Unreachable(Exception cause)
    {
        var settings = new NpgsqlConnectionStringBuilder(ConnectionString);
        var origin = Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 }
            ? $"from {EnvironmentVariable}"
            : $"the default, as {EnvironmentVariable} is not set";
        return new InvalidOperationException(
            $"PostgreSQL is not reachable at {settings.Host}:{settings.Port} ({origin}). These tests need a real " +
            $"server: start one with eval \"$(build/postgres-test-server.sh)\", or set {EnvironmentVariable}. " +
            $"Cause: {cause.Message}",
            cause);
    }
}

/// <summary>One test's schema and the stores opened on it.</summary>
internal sealed class TestSchema(string name, string connectionString) : IAsyncDisposable
{
    private readonly List<NpgsqlDataSource> _dataSources = [];

    public string Name { get; } = name;

    public string ConnectionString { get; } = connectionString;

    /// <summary>A store with its own pool, as a separate Tracker replica would have.</summary>
    public PostgresEventStore CreateStore(ILogger<PostgresEventStore>? logger = null)
    {
        var dataSource = PostgresConnectionFactory.Create(ConnectionString);
        lock (_dataSources)
        {
            _dataSources.Add(dataSource);
        }

        return new PostgresEventStore(dataSource, logger ?? NullLogger<PostgresEventStore>.Instance);
    }

    /// <summary>A notification store with its own pool (and its own event store), as a separate Tracker replica would have.</summary>
    public INotificationStore CreateNotificationStore()
    {
        var dataSource = PostgresConnectionFactory.Create(ConnectionString);
        lock (_dataSources)
        {
            _dataSources.Add(dataSource);
        }

        var events = new PostgresEventStore(dataSource, NullLogger<PostgresEventStore>.Instance);
        return PostgresNotificationDatabase.CreateStore(dataSource, events, NullLogger<PostgresEventStore>.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var dataSource in _dataSources)
        {
            await dataSource.DisposeAsync().AsTask().WaitAsync(TestPostgres.Timeout);
        }

        await TestPostgres.ExecuteAsync($"DROP SCHEMA IF EXISTS {Name} CASCADE");
    }
}
