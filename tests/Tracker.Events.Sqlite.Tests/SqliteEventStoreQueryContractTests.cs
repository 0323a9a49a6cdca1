using Tracker.Events.Storage;
using Tracker.Events.Tests.StoreContract;
using Tracker.Events.Tests.Support;

namespace Tracker.Events.Sqlite.Tests;

/// <summary>The query contract of issue 11 against a SQLite file of its own per test, deleted afterwards.</summary>
public sealed class SqliteEventStoreQueryContractTests : EventStoreQueryContractTests, IDisposable
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
