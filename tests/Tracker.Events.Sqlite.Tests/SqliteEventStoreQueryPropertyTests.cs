using Tracker.Events.Storage;
using Tracker.Events.Tests.StoreContract;
using Tracker.Events.Tests.Support;
using Xunit.Abstractions;

namespace Tracker.Events.Sqlite.Tests;

/// <summary>The query property against SQLite: each event set in a file of its own, all deleted afterwards.</summary>
public sealed class SqliteEventStoreQueryPropertyTests(ITestOutputHelper output) : EventStoreQueryPropertyTests(output), IDisposable
{
    private readonly MigratedSqliteFiles _files = new();

    protected override Task<IEventStore> CreateStoreAsync() => _files.CreateStoreAsync();

    public void Dispose() => _files.Dispose();
}
