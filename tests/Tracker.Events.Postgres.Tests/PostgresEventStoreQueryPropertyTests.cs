using Tracker.Events.Storage;
using Tracker.Events.Tests.StoreContract;
using Xunit;
using Xunit.Abstractions;

namespace Tracker.Events.Postgres.Tests;

/// <summary>
/// The query property against a real PostgreSQL (see <see cref="TestPostgres"/>): each event set
/// in a new schema of its own, dropped when the test ends.
/// </summary>
public sealed class PostgresEventStoreQueryPropertyTests(ITestOutputHelper output) : EventStoreQueryPropertyTests(output), IAsyncLifetime
{
    private readonly MigratedSchemas _schemas = new();

    protected override Task<IEventStore> CreateStoreAsync() => _schemas.CreateStoreAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _schemas.DisposeAsync().AsTask();
}
