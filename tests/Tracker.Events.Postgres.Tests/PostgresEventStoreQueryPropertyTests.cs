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
    private readonly List<TestSchema> _schemas = [];

    protected override async Task<IEventStore> CreateStoreAsync()
    {
        var schema = await TestPostgres.CreateSchemaAsync();
        _schemas.Add(schema);
        var store = schema.CreateStore();
        await store.MigrateAsync(CancellationToken.None).WaitAsync(TestPostgres.Timeout);
        return store;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var schema in _schemas)
        {
            await schema.DisposeAsync();
        }
    }
}
