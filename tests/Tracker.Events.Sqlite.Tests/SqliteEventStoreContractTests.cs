using Tracker.Events.Sqlite;
using Tracker.Events.Storage;
using Tracker.Events.Tests.StoreContract;
using Tracker.Events.Tests.Support;

namespace Tracker.Events.Sqlite.Tests;

/// <summary>The store contract against a SQLite file of its own per test, deleted afterwards.</summary>
public sealed class SqliteEventStoreContractTests : EventStoreContractTests, IDisposable
{
    private readonly TempSqliteDatabase _database = new();
    private SqliteEventStore? _store;

    protected override async Task<IEventStore> CreateStoreAsync()
    {
        _store = new SqliteEventStore(_database.ConnectionString);
        await _store.MigrateAsync(CancellationToken.None).Bounded();
        return _store;
    }

    public void Dispose()
    {
        _store?.Dispose();
        _database.Dispose();
    }
}
