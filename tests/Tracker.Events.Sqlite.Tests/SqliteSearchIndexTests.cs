using Google.Protobuf.WellKnownTypes;
using Microsoft.Data.Sqlite;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;
using Tracker.Events.Tests.StoreContract;
using Tracker.Events.Tests.Support;

namespace Tracker.Events.Sqlite.Tests;

/// <summary>
/// What only the SQLite store does for search (migration 3): its tables and indexes, the side
/// rows and full text kept in step by every write, seq from a counter that survives restarts,
/// NUL as a character, what FTS5's unicode61 tokenizer makes of scripts without spaces, and the
/// indexes the query plans use.
/// </summary>
public sealed class SqliteSearchIndexTests : IDisposable
{
    private readonly TempSqliteDatabase _database = new();
    private SqliteEventStore? _store;

    public void Dispose()
    {
        _store?.Dispose();
        _database.Dispose();
    }

    [Fact]
    public async Task MigrateAsync_NewDatabase_CreatesTheSearchTablesAndIndexes()
    {
        await StoreAsync();

        var names = await ReadAsync("SELECT name FROM sqlite_master WHERE sql IS NOT NULL", r => r.GetString(0));

        Assert.Superset(
            new HashSet<string>
            {
                "event_sequence", "event_labels", "event_resources", "event_repeated_values", "events_fts",
                "events_by_seq", "events_to_index", "events_by_severity", "event_labels_by_key_value",
                "event_resources_by_kind", "event_resources_by_id", "event_resources_by_name", "event_resources_by_namespace",
                "event_repeated_values_by_value", "events_unindexed_on_delete",
            },
            names.ToHashSet());
    }

    [Fact]
    public async Task Writes_CreatesReplacesAndDeletes_KeepFullTextAndSideRowsInStep()
    {
        var store = await StoreAsync();
        var fixture = await QueryFixture.CreateAsync(store).Bounded();
        foreach (var name in new[] { "deploy", "incident", "cjk", "close" })
        {
            var e = fixture[name];
            var next = e.Clone();
            next.Etag = Guid.NewGuid().ToString("N");
            next.Title += " (edited)";
            next.Attributes.Message = "";
            next.Attributes.Labels["edited"] = name;
            next.Attributes.Resources.Add(new ResourceRef { Kind = "Edited" });
            next.Attributes.StakeHolders.Clear();
            Assert.True(await store.ReplaceAsync(next, e.Etag, CancellationToken.None).Bounded());
        }

        await store.DeleteAsync(fixture["meta"].Id, null, CancellationToken.None).Bounded();
        await store.DeleteAsync(fixture["incident"].Id, null, CancellationToken.None).Bounded();
        await ExecuteAsync($"DELETE FROM events WHERE id = '{fixture["twin"].Id}'");

        await SqliteSearchInvariants.AssertInStepAsync(_database.ConnectionString);
        Assert.Equal(9, await ReadScalarAsync("SELECT COUNT(*) FROM events"));
    }

    [Fact]
    public async Task AssertInStepAsync_TextChangedBehindTheIndex_Fails()
    {
        var store = await StoreAsync();
        var fixture = await QueryFixture.CreateAsync(store).Bounded();

        await ExecuteAsync($"UPDATE events SET title = 'changed' WHERE id = '{fixture["deploy"].Id}'");

        await Assert.ThrowsAsync<SqliteException>(() => SqliteSearchInvariants.AssertInStepAsync(_database.ConnectionString));
    }

    [Fact]
    public async Task AssertInStepAsync_OrphanSideRow_Fails()
    {
        var store = await StoreAsync();
        await QueryFixture.CreateAsync(store).Bounded();

        await ExecuteAsync("INSERT INTO event_labels (seq, key, value) VALUES (999, 'k', 'v')");

        await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() => SqliteSearchInvariants.AssertInStepAsync(_database.ConnectionString));
    }

    [Fact]
    public async Task CreateAsync_Concurrent_SequencesAreOneToNWithoutGapsOrRepeats()
    {
        var store = await StoreAsync();
        var events = Enumerable.Range(0, 100).Select(i => NewEvent($"e{i}")).ToArray();

        await Task.WhenAll(events.Select(e => Task.Run(() => store.CreateAsync(e, null, CancellationToken.None)))).Bounded();

        var seqs = await ReadAsync("SELECT seq FROM events ORDER BY seq", r => r.GetInt64(0));
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), seqs);
    }

    [Fact]
    public async Task CreateAsync_AfterTheLatestWasDeletedAndTheStoreReopened_NeverReusesItsSequence()
    {
        var store = await StoreAsync();
        var events = new[] { NewEvent("a"), NewEvent("b"), NewEvent("c") };
        foreach (var e in events)
        {
            await store.CreateAsync(e, null, CancellationToken.None).Bounded();
        }

        await store.DeleteAsync(events[2].Id, null, CancellationToken.None).Bounded();
        store.Dispose();
        SqliteConnection.ClearAllPools();
        var reopened = await StoreAsync();
        var next = NewEvent("d");
        await reopened.CreateAsync(next, null, CancellationToken.None).Bounded();

        // a, b and c took 1 to 3, c's delete took 4 in the change log: d is 5, never c's 3 again.
        Assert.Equal(5, await reopened.FindSequenceAsync(next.Id, CancellationToken.None).Bounded());
    }

    [Fact]
    public async Task QueryAsync_ValuesWithNul_AreComparedWholeAsData()
    {
        var store = await StoreAsync();
        var withNul = NewEvent("a\0b", a =>
        {
            a.Message = "x\0y";
            a.Service = "s\0";
            a.StakeHolders.Add("h\0i");
            a.Resources.Add(new ResourceRef { Name = "n\0m" });
            a.Labels.Add("k\0", "v\0w");
        });
        var without = NewEvent("a", a => (a.Service, a.Message) = ("s", "x"));
        await store.CreateAsync(withNul, null, CancellationToken.None).Bounded();
        await store.CreateAsync(without, null, CancellationToken.None).Bounded();

        string[] nul = [withNul.Id];
        Assert.Equal(nul, await IdsAsync(store, Compare(EventField.Title, Comparator.Equal, "a\0b")));
        Assert.Equal(nul, await IdsAsync(store, Compare(EventField.Title, Comparator.Prefix, "a\0")));
        Assert.Equal(nul, await IdsAsync(store, Compare(EventField.Title, Comparator.Suffix, "\0b")));
        Assert.Equal(nul, await IdsAsync(store, Compare(EventField.Message, Comparator.Contains, "\0")));
        Assert.Equal(nul, await IdsAsync(store, Compare(EventField.Service, Comparator.Greater, "s")));
        Assert.Equal(nul, await IdsAsync(store, Compare(EventField.StakeHolders, Comparator.Equal, "h\0i")));
        Assert.Equal(nul, await IdsAsync(store, Compare(EventField.ResourceName, Comparator.Suffix, "\0m")));
        Assert.Equal(nul, await IdsAsync(store, new Comparison(EventField.Labels, Comparator.Equal, FilterValue.Of("v\0w"), "k\0")));
        Assert.Empty(await IdsAsync(store, new Comparison(EventField.Labels, Comparator.Equal, FilterValue.Of("v"), "k\0")));
        Assert.Empty(await IdsAsync(store, new Presence(EventField.Labels, "k")));
        Assert.Equal([without.Id], await IdsAsync(store, Compare(EventField.Service, Comparator.Equal, "s")));
        await SqliteSearchInvariants.AssertInStepAsync(_database.ConnectionString);
    }

    [Theory]
    [InlineData("部署", true)]
    [InlineData("部署完", true)]
    [InlineData("服务", true)]
    [InlineData("完成", false)]
    public async Task QueryAsync_WordsInAScriptWithoutSpaces_MatchTheStartOfEachRunOfLetters(string word, bool found)
    {
        // unicode61 splits on spaces and punctuation only: "部署完成" is one token, so a word
        // must start the run, as in the spec's "prefix of some token".
        var store = await StoreAsync();
        var fixture = await QueryFixture.CreateAsync(store).Bounded();

        var ids = await IdsAsync(store, new AllOf([]), word);

        Assert.Equal(found ? [fixture["cjk"].Id] : [], ids);
    }

    [Fact]
    public async Task Build_LabelEquality_LooksTheLabelUpInItsIndex()
    {
        var plan = await PagePlanAsync(new EventCriteria(new Comparison(EventField.Labels, Comparator.Equal, FilterValue.Of("core"), "team"), []), EventOrder.NewestFirst);

        Assert.Contains("event_labels_by_key_value", plan);
    }

    [Fact]
    public async Task Build_Words_SearchTheFullTextIndex()
    {
        var plan = await PagePlanAsync(new EventCriteria(new AllOf([]), ["deploy"]), EventOrder.NewestFirst);

        Assert.Contains("VIRTUAL TABLE INDEX", plan);
        Assert.Contains("events_fts", plan);
    }

    [Fact]
    public async Task MigrateAsync_NewestFirstSeqs_ReadFromTheCreatedAtIndexAlone()
    {
        await StoreAsync();

        // The statement the full-text walk reads a common word's candidates with (SqliteFullTextPlan).
        var plan = await ReadAsync("EXPLAIN QUERY PLAN SELECT seq FROM events ORDER BY created_at_us DESC, id DESC", r => r.GetString(3));

        Assert.Equal(["SCAN events USING COVERING INDEX events_by_created_at"], plan);
    }

    [Fact]
    public async Task Build_AfterSequenceInCommitOrder_ReadsTheSeqIndexAsARange()
    {
        var plan = await PagePlanAsync(new EventCriteria(new AllOf([]), [], AfterSequence: 10), EventOrder.CommitOrder);

        // Only the outer sort of the page's rows; none to choose them.
        Assert.Contains("events_by_seq (seq>?)", plan);
        Assert.Equal(1, plan.Split("TEMP B-TREE").Length - 1);
    }

    [Fact]
    public async Task Build_AfterSequenceOfOneServiceInCommitOrder_ReadsTheServiceSeqIndexAsARange()
    {
        var criteria = new EventCriteria(Compare(EventField.Service, Comparator.Equal, "gateway"), [], AfterSequence: 10);

        var plan = await PagePlanAsync(criteria, EventOrder.CommitOrder);
        var countPlan = await PlanAsync(criteria, EventOrder.CommitOrder, ofCount: true);

        // The page's rows come from the index in order, from the position on: only the outer
        // sort of the page's rows remains.
        Assert.Contains("COVERING INDEX events_by_service_seq (service=? AND seq>?)", plan);
        Assert.Equal(1, plan.Split("TEMP B-TREE").Length - 1);
        Assert.Contains("COVERING INDEX events_by_service_seq (service=? AND seq>?)", countPlan);
    }

    [Fact]
    public async Task Build_SeverityAndEventTime_ReadTheSeverityIndex()
    {
        var where = new AllOf([new Comparison(EventField.Severity, Comparator.Equal, FilterValue.Of(3)), new Comparison(EventField.StartDate, Comparator.GreaterOrEqual, FilterValue.Of(0))]);

        var plan = await PagePlanAsync(new EventCriteria(where, []), EventOrder.NewestFirst);

        Assert.Contains("events_by_severity (severity=? AND event_time_us>?)", plan);
    }

    [Fact]
    public async Task MigrateAsync_OnAFilledStore_GivesThePlannerStatistics_ServiceLedPlanForServiceAndEnvironment()
    {
        var store = await StoreAsync();
        var events = Enumerable.Range(0, 2000).Select(i => NewEvent($"e{i}", a =>
        {
            a.Service = $"svc-{i % 100}";
            a.Environment = i % 10 == 0 ? Api.V1Alpha1.Environment.Development : Api.V1Alpha1.Environment.Production;
            a.Type = i % 3 == 0 ? Api.V1Alpha1.Type.Incident : Api.V1Alpha1.Type.Deployment;
        })).ToArray();
        await Task.WhenAll(events.Select(e => Task.Run(() => store.CreateAsync(e, null, CancellationToken.None)))).Bounded();
        store.Dispose();

        // A restart analyses the table: without statistics SQLite took environment's index, which
        // here holds nine events in ten, to count one service's events.
        _store = new SqliteEventStore(_database.ConnectionString);
        await _store.MigrateAsync(CancellationToken.None).Bounded();
        var where = new AllOf([
            new Comparison(EventField.Service, Comparator.Equal, FilterValue.Of("svc-7")),
            new AnyOf([new Comparison(EventField.Type, Comparator.Equal, FilterValue.Of(4)), new Comparison(EventField.Type, Comparator.Equal, FilterValue.Of(3))]),
            new Comparison(EventField.Environment, Comparator.Equal, FilterValue.Of(7)),
        ]);

        Assert.True(await ReadScalarAsync("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'events'") > 0);
        var plan = await PlanAsync(new EventCriteria(where, []), EventOrder.NewestFirst, ofCount: true);
        Assert.Contains("events_by_service", plan);
        Assert.DoesNotContain("events_by_environment", plan);
    }

    private async Task<SqliteEventStore> StoreAsync()
    {
        _store = new SqliteEventStore(_database.ConnectionString);
        await _store.MigrateAsync(CancellationToken.None).Bounded();
        return _store;
    }

    private async Task<string> PagePlanAsync(EventCriteria criteria, EventOrder order)
    {
        await StoreAsync();
        return await PlanAsync(criteria, order, ofCount: false);
    }

    /// <summary>SQLite's plan of the page statement, or of the count statement, the store builds for a query.</summary>
    private async Task<string> PlanAsync(EventCriteria criteria, EventOrder order, bool ofCount)
    {
        await using var connection = new SqliteConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var count = connection.CreateCommand();
        await using var page = connection.CreateCommand();
        SqlitePageQuery.Build(new EventQuery(criteria, order, Limit: 50), count, page);
        var explained = ofCount ? count : page;
        explained.CommandText = "EXPLAIN QUERY PLAN " + explained.CommandText;
        var plan = new List<string>();
        await using var reader = await explained.ExecuteReaderAsync().Bounded();
        while (await reader.ReadAsync().Bounded())
        {
            plan.Add(reader.GetString(3));
        }

        return string.Join("\n", plan);
    }

    private static Comparison Compare(EventField field, Comparator comparator, string value) => new(field, comparator, FilterValue.Of(value));

    private static async Task<string[]> IdsAsync(IEventStore store, FilterNode where, params string[] words) =>
        (await store.QueryAsync(new EventQuery(new EventCriteria(where, words), EventOrder.NewestFirst, 100), CancellationToken.None).Bounded())
            .Events.Select(e => e.Id).Order(StringComparer.Ordinal).ToArray();

    private static Event NewEvent(string title, Action<EventAttributes>? configure = null)
    {
        var now = DateTimeOffset.UtcNow;
        var e = new Event
        {
            Title = title,
            Id = Guid.CreateVersion7(now).ToString(),
            CreatedAt = Timestamp.FromDateTimeOffset(now),
            UpdatedAt = Timestamp.FromDateTimeOffset(now),
            Etag = Guid.NewGuid().ToString("N"),
            Attributes = new EventAttributes { Type = Api.V1Alpha1.Type.Deployment, Service = "svc" },
        };
        configure?.Invoke(e.Attributes);
        return e;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection(_database.ConnectionString + ";Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync().Bounded();
    }

    private async Task<long> ReadScalarAsync(string sql) => (await ReadAsync(sql, r => r.GetInt64(0))).Single();

    private async Task<List<T>> ReadAsync<T>(string sql, Func<SqliteDataReader, T> read)
    {
        await using var connection = new SqliteConnection(_database.ConnectionString + ";Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync().Bounded();
        while (await reader.ReadAsync().Bounded())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
