using System.Collections.Concurrent;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using Npgsql;
using NpgsqlTypes;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;
using Tracker.Events.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using Type = Tracker.Api.V1Alpha1.Type;

namespace Tracker.Events.Postgres.Tests;

/// <summary>
/// What only the PostgreSQL store does for retention (README, "Retention"): two replicas' retention racing
/// updates and deletes of the same events, with no deadlock (every statement locks the commit
/// counter first) and no event both updated and deleted; and the expired events found through
/// events_expiry_type_updated_at (migration 5).
/// </summary>
public sealed class PostgresRetentionTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private TestSchema _schema = null!;
    private PostgresEventStore _store = null!;

    public async Task InitializeAsync()
    {
        _schema = await TestPostgres.CreateSchemaAsync();
        _store = _schema.CreateStore();
        await _store.MigrateAsync(CancellationToken.None).WaitAsync(TestPostgres.Timeout);
    }

    public async Task DisposeAsync() => await _schema.DisposeAsync();

    [Fact]
    public async Task DeleteExpiredAsync_TwoReplicasWhileTheEventsAreUpdatedAndDeleted_NeverDeadlocksAndKeepsEveryUpdatedEvent()
    {
        var events = new List<Event>();
        for (var i = 0; i < 200; i++)
        {
            events.Add(await _store.CreateAsync(RetentionEvents.ChangedAt((Type)(1 + (i % 5)), Now.AddDays(-100).AddMinutes(i)), null, CancellationToken.None).WaitAsync(TestPostgres.Timeout));
        }

        var before = await _store.GetChangeLogBoundsAsync(CancellationToken.None).WaitAsync(TestPostgres.Timeout);
        ExpiryCutoff[] cutoffs = [.. System.Enum.GetValues<Type>().Select(t => new ExpiryCutoff(t, Now.AddDays(-30)))];
        var replicas = new[] { _schema.CreateStore(), _schema.CreateStore() };
        var updated = new ConcurrentBag<string>();
        var deletedByUser = new ConcurrentBag<string>();

        // A user refreshes every third event (its updated_at becomes now) and deletes every seventh,
        // while both replicas' retention deletes the expired ones in batches of 16.
        var user = Task.Run(async () =>
        {
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                if (i % 7 == 0 && await _store.DeleteAsync(e.Id, null, CancellationToken.None) == DeleteOutcome.Deleted)
                {
                    deletedByUser.Add(e.Id);
                }
                else if (i % 3 == 0)
                {
                    var next = e.Clone();
                    next.Etag = Guid.NewGuid().ToString("N");
                    next.UpdatedAt = Timestamp.FromDateTimeOffset(Now);
                    if (await _store.ReplaceAsync(next, e.Etag, CancellationToken.None))
                    {
                        updated.Add(e.Id);
                    }
                }
            }
        });
        var retention = replicas.Select(replica => Task.Run(async () =>
        {
            var total = 0;
            int batch;
            do
            {
                batch = (await replica.DeleteExpiredAsync(cutoffs, 16, CancellationToken.None)).Values.Sum();
                total += batch;
            }
            while (batch > 0 || !user.IsCompleted);
            return total;
        })).ToArray();

        await Task.WhenAll([user, .. retention]).WaitAsync(TestPostgres.Timeout);

        var remaining = (await _store.QueryAsync(new EventQuery(EventCriteria.All, EventOrder.NewestFirst, 1000), CancellationToken.None).WaitAsync(TestPostgres.Timeout)).Events;
        var changes = await _store.ReadChangesAsync(before.Last, 10_000, CancellationToken.None).WaitAsync(TestPostgres.Timeout);
        var deletions = changes.Where(c => c.Type == ChangeType.Deleted).Select(c => c.Decode().Id).ToList();
        Assert.Equal(updated.Order(StringComparer.Ordinal), remaining.Select(e => e.Id).Order(StringComparer.Ordinal));
        Assert.All(remaining, e => Assert.Equal(Timestamp.FromDateTimeOffset(Now), e.UpdatedAt));
        Assert.Equal(events.Count - updated.Count, deletions.Count);
        Assert.Equal(deletions.Count, deletions.Distinct().Count());
        Assert.Equal(events.Count - updated.Count - deletedByUser.Count, (await Task.WhenAll(retention)).Sum());
        Assert.Equal(changes.Select(c => c.Sequence).Order(), changes.Select(c => c.Sequence));
    }

    [Fact]
    public async Task FindExpiredSql_AnalysedEvents_ReadsEachTypesRangeOfTheExpiryIndex()
    {
        var events = Enumerable.Range(0, 4000).Select(i => RetentionEvents.ChangedAt((Type)(1 + (i % 5)), Now.AddMinutes(-i))).ToArray();
        await Task.WhenAll(events.Select(e => _store.CreateAsync(e, null, CancellationToken.None))).WaitAsync(TimeSpan.FromMinutes(2));
        await TestPostgres.ExecuteAsync($"ANALYZE {_schema.Name}.events");

        await using var dataSource = NpgsqlDataSource.Create(_schema.ConnectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var explain = new NpgsqlCommand("EXPLAIN (COSTS OFF) " + PostgresDeletion.FindExpiredSql, connection);
        explain.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [1, 2, 3, 4, 5], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        explain.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = Enumerable.Repeat(new ExpiryCutoff(Type.Incident, Now.AddDays(-1)).UpdatedBeforeMicros, 5).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        explain.Parameters.Add(new NpgsqlParameter<int> { TypedValue = 500 });
        var plan = new StringBuilder();
        await using (var reader = await explain.ExecuteReaderAsync().WaitAsync(TestPostgres.Timeout))
        {
            while (await reader.ReadAsync())
            {
                plan.AppendLine(reader.GetString(0));
            }
        }

        output.WriteLine(plan.ToString());
        Assert.Contains("Index Scan on events_expiry_type_updated_at", plan.ToString().Replace("Index Scan using", "Index Scan on", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan on events", plan.ToString(), StringComparison.Ordinal);
    }
}
