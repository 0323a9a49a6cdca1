using Tracker.Events.Storage;
using Tracker.Events.Tests.StoreContract;
using Tracker.Events.Tests.Support;
using Xunit.Abstractions;

namespace Tracker.Events.Sqlite.Tests;

/// <summary>The query property against SQLite: each event set in a file of its own, all deleted afterwards.</summary>
public sealed class SqliteEventStoreQueryPropertyTests(ITestOutputHelper output) : EventStoreQueryPropertyTests(output), IDisposable
{
    private readonly List<(TempSqliteDatabase Database, SqliteEventStore Store)> _stores = [];

    protected override async Task<IEventStore> CreateStoreAsync()
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
