using Tracker.Events.Storage;
using Tracker.Events.Tests.StoreContract;
using Tracker.Events.Tests.Support;

namespace Tracker.Events.Sqlite.Tests;

/// <summary>The store contract against a SQLite file of its own per test, deleted afterwards.</summary>
public sealed class SqliteEventStoreContractTests : EventStoreContractTests, IDisposable
{
    private readonly MigratedSqliteFiles _files = new();

    protected override Task<IEventStore> CreateStoreAsync() => _files.CreateStoreAsync();

    public void Dispose() => _files.Dispose();
}

/// <summary>The query contract of README's "Searching" against a SQLite file of its own per test, deleted afterwards.</summary>
public sealed class SqliteEventStoreQueryContractTests : EventStoreQueryContractTests, IDisposable
{
    private readonly MigratedSqliteFiles _files = new();

    protected override Task<IEventStore> CreateStoreAsync() => _files.CreateStoreAsync();

    public void Dispose() => _files.Dispose();
}

/// <summary>Counting up to a limit (README, "Searching") against a SQLite file of its own per test, deleted afterwards.</summary>
public sealed class SqliteEventStoreCountContractTests : EventStoreCountContractTests, IDisposable
{
    private readonly MigratedSqliteFiles _files = new();

    protected override Task<IEventStore> CreateStoreAsync() => _files.CreateStoreAsync();

    public void Dispose() => _files.Dispose();
}

/// <summary>Migrated stores, each in a SQLite file of its own, all closed and deleted on dispose.</summary>
internal sealed class MigratedSqliteFiles : IDisposable
{
    private readonly List<(TempSqliteDatabase Database, SqliteEventStore Store)> _stores = [];

    public async Task<IEventStore> CreateStoreAsync()
    {
        var database = new TempSqliteDatabase();
        var store = new SqliteEventStore(database.ConnectionString);
        _stores.Add((database, store));
        await store.MigrateAsync(CancellationToken.None).Bounded();
        return store;
    }

    public void Dispose()
    {
        foreach (var (database, store) in _stores)
        {
            store.Dispose();
            database.Dispose();
        }
    }
}

/// <summary>Retention's store call (README, "Retention") against a SQLite file of its own per test, deleted afterwards.</summary>
public sealed class SqliteEventStoreRetentionContractTests : EventStoreRetentionContractTests, IDisposable
{
    private readonly MigratedSqliteFiles _files = new();

    protected override Task<IEventStore> CreateStoreAsync() => _files.CreateStoreAsync();

    public void Dispose() => _files.Dispose();
}

/// <summary>The retention service (README, "Retention") over a SQLite file of its own per test, deleted afterwards.</summary>
public sealed class SqliteRetentionServiceContractTests : RetentionServiceContractTests, IDisposable
{
    private readonly MigratedSqliteFiles _files = new();

    protected override Task<IEventStore> CreateStoreAsync() => _files.CreateStoreAsync();

    public void Dispose() => _files.Dispose();
}
