using Google.Protobuf.WellKnownTypes;
using Microsoft.Data.Sqlite;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;
using Tracker.Events.Tests.Support;

namespace Tracker.Events.Sqlite.Tests;

/// <summary>
/// The count statement of a query with a count limit reads at most CountLimit + 1 rows (README,
/// "Searching"). Rows are counted as SQLite reads them: the statement runs on a connection where a
/// temporary view named events, which shadows the table for unqualified names, passes every row it
/// reads through a function that counts its calls.
/// </summary>
public sealed class SqliteCountLimitTests : IDisposable
{
    private const int Stored = 40;

    private readonly TempSqliteDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Count_WithCountLimit_ReadsAtMostOneRowPastTheLimit()
    {
        await SeedAsync();

        var (counted, rowsRead) = await RunCountAsync(new EventQuery(EventCriteria.All, EventOrder.NewestFirst, Limit: 5, CountLimit: 10));

        Assert.Equal(11, counted);
        Assert.Equal(11, rowsRead);
    }

    [Fact]
    public async Task Count_WithoutCountLimit_ReadsEveryMatch()
    {
        await SeedAsync();

        var (counted, rowsRead) = await RunCountAsync(new EventQuery(EventCriteria.All, EventOrder.NewestFirst, Limit: 5));

        Assert.Equal(Stored, counted);
        Assert.Equal(Stored, rowsRead);
    }

    private async Task SeedAsync()
    {
        using var store = new SqliteEventStore(_database.ConnectionString);
        await store.MigrateAsync(CancellationToken.None).Bounded();
        foreach (var i in Enumerable.Range(0, Stored))
        {
            await store.CreateAsync(Stamped($"event {i}"), null, CancellationToken.None).Bounded();
        }
    }

    private async Task<(long Counted, int RowsRead)> RunCountAsync(EventQuery query)
    {
        await using var connection = new SqliteConnection(_database.ConnectionString);
        await connection.OpenAsync();
        var rowsRead = 0;
        connection.CreateFunction("read_row", (long _) => ++rowsRead > 0, isDeterministic: false);
        await using (var view = connection.CreateCommand())
        {
            view.CommandText = "CREATE TEMP VIEW events AS SELECT * FROM main.events WHERE read_row(rowid)";
            await view.ExecuteNonQueryAsync();
        }

        await using var count = connection.CreateCommand();
        await using var page = connection.CreateCommand();
        SqlitePageQuery.Build(query, count, page);
        var counted = (long)(await count.ExecuteScalarAsync().WaitAsync(TestTimeout.Default))!;
        return (counted, rowsRead);
    }

    private static Event Stamped(string title)
    {
        var now = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow);
        return new Event
        {
            Id = Guid.CreateVersion7().ToString(),
            Title = title,
            Attributes = new EventAttributes { Type = Api.V1Alpha1.Type.Deployment, Service = "api" },
            CreatedAt = now,
            UpdatedAt = now,
            Etag = Guid.NewGuid().ToString("N"),
        };
    }
}
