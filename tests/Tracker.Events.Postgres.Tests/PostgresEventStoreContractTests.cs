using Tracker.Events.Storage;
using Tracker.Events.Tests.StoreContract;
using Xunit;

namespace Tracker.Events.Postgres.Tests;

/// <summary>
/// The store contract against a real PostgreSQL (see <see cref="TestPostgres"/>): every store a
/// test asks for lives in a new schema of its own, dropped when the test ends.
/// </summary>
public sealed class PostgresEventStoreContractTests : EventStoreContractTests, IAsyncLifetime
{
    private readonly MigratedSchemas _schemas = new();

    protected override Task<IEventStore> CreateStoreAsync() => _schemas.CreateStoreAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _schemas.DisposeAsync().AsTask();
}

/// <summary>The query contract of README's "Searching" (expression table, words, commit positions, orders) against a real PostgreSQL.</summary>
public sealed class PostgresEventStoreQueryContractTests : EventStoreQueryContractTests, IAsyncLifetime
{
    private readonly MigratedSchemas _schemas = new();

    protected override Task<IEventStore> CreateStoreAsync() => _schemas.CreateStoreAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _schemas.DisposeAsync().AsTask();
}

/// <summary>Counting up to a limit (README, "Searching") against a real PostgreSQL, a schema per test.</summary>
public sealed class PostgresEventStoreCountContractTests : EventStoreCountContractTests, IAsyncLifetime
{
    private readonly MigratedSchemas _schemas = new();

    protected override Task<IEventStore> CreateStoreAsync() => _schemas.CreateStoreAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _schemas.DisposeAsync().AsTask();
}

/// <summary>Retention's store call (README, "Retention") against a real PostgreSQL, a schema per test.</summary>
public sealed class PostgresEventStoreRetentionContractTests : EventStoreRetentionContractTests, IAsyncLifetime
{
    private readonly MigratedSchemas _schemas = new();

    protected override Task<IEventStore> CreateStoreAsync() => _schemas.CreateStoreAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _schemas.DisposeAsync().AsTask();
}

/// <summary>The retention service (README, "Retention") over a real PostgreSQL, a schema per test.</summary>
public sealed class PostgresRetentionServiceContractTests : RetentionServiceContractTests, IAsyncLifetime
{
    private readonly MigratedSchemas _schemas = new();

    protected override Task<IEventStore> CreateStoreAsync() => _schemas.CreateStoreAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _schemas.DisposeAsync().AsTask();
}

/// <summary>Migrated stores, each in a schema of its own, all dropped on dispose.</summary>
internal sealed class MigratedSchemas : IAsyncDisposable
{
    private readonly List<TestSchema> _schemas = [];

    public async Task<IEventStore> CreateStoreAsync()
    {
        var schema = await TestPostgres.CreateSchemaAsync();
        _schemas.Add(schema);
        var store = schema.CreateStore();
        await store.MigrateAsync(CancellationToken.None).WaitAsync(TestPostgres.Timeout);
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var schema in _schemas)
        {
            await schema.DisposeAsync();
        }
    }
}
