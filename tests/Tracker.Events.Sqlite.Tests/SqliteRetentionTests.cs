using Google.Protobuf.WellKnownTypes;
using Microsoft.Data.Sqlite;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;
using Tracker.Events.Tests.Support;
using Type = Tracker.Api.V1Alpha1.Type;

namespace Tracker.Events.Sqlite.Tests;

/// <summary>
/// What only the SQLite store does for retention (README, "Retention"): the expired events are found through
/// events_by_type_updated_at (migration 5), and deleting them takes their full text and side rows.
/// </summary>
public sealed class SqliteRetentionTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempSqliteDatabase _database = new();
    private SqliteEventStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteEventStore(_database.ConnectionString);
        await _store.MigrateAsync(CancellationToken.None).Bounded();
    }

    public Task DisposeAsync()
    {
        _store.Dispose();
        _database.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task DeleteExpiredAsync_EventsWithFullTextAndSideRows_LeavesTheSearchDataInStep()
    {
        for (var i = 0; i < 30; i++)
        {
            var e = RetentionEvents.ChangedAt(i % 3 == 0 ? Type.Incident : Type.Deployment, Now.AddDays(-i));
            e.Attributes.Message = $"rollout number {i}";
            e.Attributes.Labels.Add("team", "team-" + (i % 4));
            e.Attributes.Resources.Add(new ResourceRef { Kind = "Pod", Name = "api-" + i });
            e.Attributes.StakeHolders.Add(["ops", "dev"]);
            e.Attributes.Notifications.Add("slack");
            await _store.CreateAsync(e, null, CancellationToken.None).Bounded();
        }

        var deleted = await _store.DeleteExpiredAsync([new ExpiryCutoff(Type.Deployment, Now.AddDays(-10)), new ExpiryCutoff(Type.Incident, Now.AddDays(-20))], 1000, CancellationToken.None).Bounded();

        Assert.Equal(13, deleted[Type.Deployment]);
        Assert.Equal(3, deleted[Type.Incident]);
        await SqliteSearchInvariants.AssertInStepAsync(_database.ConnectionString);
        Assert.Equal(14L, await ScalarAsync("SELECT count(*) FROM events"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    public async Task ExpiredSql_AnyNumberOfTypes_SearchesEachTypesRangeOfTheExpiryIndex(int types)
    {
        await using var connection = new SqliteConnection(_database.ConnectionString);
        await connection.OpenAsync().Bounded();
        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + SqliteEventWriter.ExpiredSql(types);
        for (var i = 0; i < types; i++)
        {
            explain.Parameters.AddWithValue($"$type{i}", i);
            explain.Parameters.AddWithValue($"$before{i}", 0L);
        }

        explain.Parameters.AddWithValue("$limit", 500);
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync().Bounded())
        {
            while (await reader.ReadAsync().Bounded())
            {
                plan.Add(reader.GetString(3));
            }
        }

        var searches = plan.Where(p => p.Contains("events_by_type_updated_at (type=? AND updated_at_us<?)", StringComparison.Ordinal)).ToList();
        Assert.Equal(types, searches.Count);
        Assert.DoesNotContain(plan, p => p.StartsWith("SCAN events", StringComparison.Ordinal));
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection(_database.ConnectionString);
        await connection.OpenAsync().Bounded();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync().Bounded())!;
    }
}
