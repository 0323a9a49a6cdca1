using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace Tracker.Server.Tests.Support;

/// <summary>
/// The whole host on the PostgreSQL store: a <see cref="TrackerFactory"/> switched to the test
/// server of TRACKER_TEST_POSTGRES (default Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres),
/// in a schema of its own that is dropped on dispose.
/// </summary>
public sealed class PostgresHost : IAsyncDisposable
{
    private const string DefaultConnectionString = "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres";

    private readonly string _schema = "t_" + Guid.NewGuid().ToString("N")[..16];
    private readonly TrackerFactory _inner;

    /// <param name="inner">The host to switch to PostgreSQL, with any test services it needs.</param>
    public PostgresHost(TrackerFactory inner)
    {
        _inner = inner;
        Factory = inner.WithWebHostBuilder(builder => builder
            .UseSetting("Storage:Provider", "Postgres")
            .UseSetting("ConnectionStrings:Postgres", new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = _schema }.ConnectionString));
    }

    public WebApplicationFactory<Program> Factory { get; }

    private static string ConnectionString =>
        System.Environment.GetEnvironmentVariable("TRACKER_TEST_POSTGRES") is { Length: > 0 } given ? given : DefaultConnectionString;

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await _inner.DisposeAsync();
        await using var admin = NpgsqlDataSource.Create(ConnectionString);
        await using var drop = admin.CreateCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE");
        await drop.ExecuteNonQueryAsync().Bounded();
    }
}
