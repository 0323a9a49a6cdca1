using Npgsql;
using Tracker.Testing;

namespace Tracker.EndToEnd.Tests;

/// <summary>One real Tracker process, shared by the tests of a class; each store has its own.</summary>
public abstract class TrackerServerFixture : IAsyncLifetime
{
    public TrackerProcess Server { get; private set; } = null!;

    public TrackerGrpcClient Grpc { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await TrackerProcess.StartAsync(await CreateSettingsAsync());
        Grpc = new TrackerGrpcClient(Server.GrpcAddress);
    }

    public async Task DisposeAsync()
    {
        Grpc.Dispose();
        await Server.DisposeAsync();
        await CleanUpAsync();
        Directory.Delete(Server.Settings.DataDirectory, recursive: true);
    }

    protected abstract Task<TrackerSettings> CreateSettingsAsync();

    protected virtual Task CleanUpAsync() => Task.CompletedTask;
}

public sealed class SqliteTrackerFixture : TrackerServerFixture
{
    protected override Task<TrackerSettings> CreateSettingsAsync() => Task.FromResult(TrackerSettings.Sqlite());
}

/// <summary>
/// Tracker on the PostgreSQL of TRACKER_TEST_POSTGRES (default: the test command's server on
/// 127.0.0.1:55432), in a schema of its own that is dropped afterwards.
/// </summary>
public sealed class PostgresTrackerFixture : TrackerServerFixture
{
    private readonly string _schema = "e2e_" + Guid.NewGuid().ToString("N")[..12];

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("TRACKER_TEST_POSTGRES") is { Length: > 0 } configured
            ? configured
            : "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres";

    protected override Task<TrackerSettings> CreateSettingsAsync() =>
        Task.FromResult(TrackerSettings.Postgres(new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = _schema }.ConnectionString));

    protected override async Task CleanUpAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
