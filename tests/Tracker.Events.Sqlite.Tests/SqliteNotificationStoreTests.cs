using Google.Protobuf.WellKnownTypes;
using Microsoft.Data.Sqlite;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Notifications;
using Tracker.Events.Tests.StoreContract;
using Tracker.Events.Tests.Support;
using Xunit;

namespace Tracker.Events.Sqlite.Tests;

/// <summary>The notification store contract against a SQLite file of its own per test, deleted afterwards.</summary>
public sealed class SqliteNotificationStoreContractTests : NotificationStoreContractTests, IDisposable
{
    private readonly MigratedSqliteFiles _files = new();

    protected override async Task<INotificationStore> CreateStoreAsync() =>
        SqliteNotificationDatabase.CreateStore((SqliteEventStore)await _files.CreateStoreAsync());

    public void Dispose() => _files.Dispose();
}

/// <summary>What only the SQLite notification store shows: how its tables arrive in a database that has events.</summary>
public sealed class SqliteNotificationStoreTests : IDisposable
{
    private readonly TempSqliteDatabase _database = new();

    [Fact]
    public async Task MigrateAsync_DatabaseWithEventsUpgraded_RouterStartsAtTheLastChangeSoHistoryIsNotNotified()
    {
        using var events = new SqliteEventStore(_database.ConnectionString);
        await events.MigrateAsync(CancellationToken.None).Bounded();
        for (var i = 0; i < 3; i++)
        {
            await events.CreateAsync(NewEvent(), null, CancellationToken.None).Bounded();
        }

        // The database as a release without notifications left it (before the full-text rebuild of step 7, too).
        await using (var connection = new SqliteConnection(_database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                DROP TABLE deliveries; DROP TABLE notification_router; DROP TABLE channels; DROP TABLE search_rebuild;
                DROP INDEX events_by_service_seq; DROP VIEW events_search_text;
                DELETE FROM schema_migrations WHERE version >= 6;
                """;
            await command.ExecuteNonQueryAsync();
        }

        var store = SqliteNotificationDatabase.CreateStore(events);
        await store.MigrateAsync(CancellationToken.None).Bounded();

        Assert.Equal(3, await store.GetRoutedThroughAsync(CancellationToken.None).Bounded());
        Assert.Equal(3, (await events.GetChangeLogBoundsAsync(CancellationToken.None).Bounded()).Last);
    }

    public void Dispose() => _database.Dispose();

    private static Event NewEvent()
    {
        var now = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow);
        return new Event
        {
            Id = Guid.CreateVersion7().ToString(),
            Title = "deploy api",
            Attributes = new EventAttributes { Type = Api.V1Alpha1.Type.Deployment, Service = "api", Priority = Priority.P2, Status = Status.Success },
            CreatedAt = now,
            UpdatedAt = now,
            Etag = Guid.NewGuid().ToString("N"),
        };
    }
}
