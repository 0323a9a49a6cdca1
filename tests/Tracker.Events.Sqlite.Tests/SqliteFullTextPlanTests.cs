using Google.Protobuf.WellKnownTypes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;
using Tracker.Events.Tests.Support;

namespace Tracker.Events.Sqlite.Tests;

/// <summary>
/// Full text on SQLite (SqliteFullTextPlan): both plans of an order other than the commit order
/// (the candidates sorted, the order walked against FTS5's rowid ranges; a sort cap of 1,000 or 0
/// picks one) give the listing's order, keyset and page paging and the count of the reference
/// model; the commit order pages from after_id and the cursor in seq order; migration 7
/// rebuilds the index of a filled file, resumably; the SQLite version is checked.
/// </summary>
public sealed class SqliteFullTextPlanTests : IDisposable
{
    private static readonly DateTimeOffset Base = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempSqliteDatabase _database = new();

    public void Dispose() => _database.Dispose();

    /// <summary>The sort cap, the most filter rows counted in one statement, and the service filter: every plan.</summary>
    public static TheoryData<int, int, string?> Plans => new() { { 1000, 1000, null }, { 1000, 1000, "a" }, { 0, 1000, null }, { 0, 1000, "a" }, { 0, 0, "a" } };

    [Theory]
    [MemberData(nameof(Plans))]
    public async Task QueryAsync_WordsNewestFirst_KeysetPagesGiveTheListingOrder(int sortCap, int membershipRows, string? service)
    {
        using var store = await FilledStoreAsync(sortCap, membershipRows);
        var expected = Expected(service);
        var criteria = Criteria(service);

        var seen = new List<string>();
        EventCursor? after = null;
        while (true)
        {
            var page = await store.QueryAsync(new EventQuery(criteria, EventOrder.NewestFirst, 4, After: after), CancellationToken.None).Bounded();
            seen.AddRange(page.Events.Select(e => e.Id));
            Assert.Equal(expected.Length, page.TotalCount);
            if (page.Events.Count < 4)
            {
                break;
            }

            var last = page.Events[^1];
            after = new EventCursor([FilterValue.Of(EventKeys.CreatedAtMicros(last))], last.Id);
        }

        Assert.Equal(expected.Select(e => e.Id), seen);
    }

    [Theory]
    [MemberData(nameof(Plans))]
    public async Task QueryAsync_WordsNewestFirst_OffsetPagesGiveTheListingOrder(int sortCap, int membershipRows, string? service)
    {
        using var store = await FilledStoreAsync(sortCap, membershipRows);
        var expected = Expected(service);

        var seen = new List<string>();
        for (var offset = 0; offset < expected.Length + 4; offset += 4)
        {
            var page = await store.QueryAsync(new EventQuery(Criteria(service), EventOrder.NewestFirst, 4, Offset: offset), CancellationToken.None).Bounded();
            seen.AddRange(page.Events.Select(e => e.Id));
        }

        Assert.Equal(expected.Select(e => e.Id), seen);
    }

    [Theory]
    [MemberData(nameof(Plans))]
    public async Task QueryAsync_MoreMatchesThanTheCountLimit_CountsTheLimitAsALowerBound(int sortCap, int membershipRows, string? service)
    {
        using var store = await FilledStoreAsync(sortCap, membershipRows);
        var expected = Expected(service);

        var below = await store.QueryAsync(new EventQuery(Criteria(service), EventOrder.NewestFirst, 2, CountLimit: expected.Length), CancellationToken.None).Bounded();
        var above = await store.QueryAsync(new EventQuery(Criteria(service), EventOrder.NewestFirst, 2, CountLimit: expected.Length - 1), CancellationToken.None).Bounded();

        Assert.Equal((expected.Length, true), (below.TotalCount, below.TotalCountExact));
        Assert.Equal((expected.Length - 1, false), (above.TotalCount, above.TotalCountExact));
        Assert.Equal(expected.Take(2).Select(e => e.Id), above.Events.Select(e => e.Id));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("a")]
    public async Task QueryAsync_WordsInCommitOrder_PagesFromAfterIdAndTheCursorInSeqOrder(string? service)
    {
        using var store = await FilledStoreAsync(SqliteFullTextPlan.DefaultSortCap);
        var all = Expected(service);
        var seqs = new Dictionary<string, long>();
        foreach (var e in all)
        {
            seqs[e.Id] = (await store.FindSequenceAsync(e.Id, CancellationToken.None).Bounded())!.Value;
        }

        var inSeqOrder = all.OrderBy(e => seqs[e.Id]).ToArray();
        var afterSeq = seqs[inSeqOrder[2].Id];
        var criteria = Criteria(service) with { AfterSequence = afterSeq };
        var expected = inSeqOrder.Skip(3).Select(e => e.Id).ToArray();

        var seen = new List<string>();
        EventCursor? after = null;
        while (true)
        {
            var page = await store.QueryAsync(new EventQuery(criteria, EventOrder.CommitOrder, 3, After: after), CancellationToken.None).Bounded();
            seen.AddRange(page.Events.Select(e => e.Id));
            Assert.Equal(expected.Length, page.TotalCount);
            if (page.Events.Count < 3)
            {
                break;
            }

            after = new EventCursor([FilterValue.Of(page.Stored[^1].Sequence)], page.Events[^1].Id);
        }

        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task MigrateAsync_FileIndexedBeforeStepSeven_RebuildsTheIndexAndLogsProgress()
    {
        using (await FilledStoreAsync(SqliteFullTextPlan.DefaultSortCap))
        {
        }

        await RevertToStepSixAsync();
        await ExecuteAsync("DELETE FROM events WHERE title LIKE 'Event 7 %'"); // deleted before the upgrade, with the old index
        var logs = new ListLoggerProvider();
        using var factory = LoggerFactory.Create(logging => logging.AddProvider(logs));
        using var store = new SqliteEventStore(_database.ConnectionString, factory.CreateLogger<SqliteEventStore>());

        await store.MigrateAsync(CancellationToken.None).Bounded();

        var page = await store.QueryAsync(new EventQuery(Criteria(null), EventOrder.NewestFirst, 100), CancellationToken.None).Bounded();
        Assert.Equal(Expected(null).Where(e => !e.Title.StartsWith("Event 7 ", StringComparison.Ordinal)).Select(e => e.Id), page.Events.Select(e => e.Id));
        Assert.Contains(logs.Messages, m => m.StartsWith("Rebuilding the full-text index: through seq", StringComparison.Ordinal));
        await SqliteSearchInvariants.AssertInStepAsync(_database.ConnectionString);
    }

    [Fact]
    public async Task MigrateAsync_RebuildInterruptedHalfWay_CarriesOnFromWhereItStopped()
    {
        using (await FilledStoreAsync(SqliteFullTextPlan.DefaultSortCap))
        {
        }

        // Steps 7 to 9 applied, and the rebuild stopped after the first 20 events' batch.
        await ExecuteAsync("""
            UPDATE search_rebuild SET indexed_through = 0;
            INSERT INTO events_fts (events_fts) VALUES ('delete-all');
            INSERT INTO events_fts (rowid, title, message, service) SELECT seq, title, message, service FROM events_search_text WHERE seq <= 20;
            UPDATE search_rebuild SET indexed_through = 20, rebuild_through = (SELECT max(seq) FROM events);
            """);
        using var store = new SqliteEventStore(_database.ConnectionString);

        await store.MigrateAsync(CancellationToken.None).Bounded();

        var page = await store.QueryAsync(new EventQuery(Criteria(null), EventOrder.NewestFirst, 100), CancellationToken.None).Bounded();
        Assert.Equal(Expected(null).Select(e => e.Id), page.Events.Select(e => e.Id));
        await SqliteSearchInvariants.AssertInStepAsync(_database.ConnectionString);
    }

    [Fact]
    public async Task MigrateAsync_FileIndexedAtStepEight_RebuildsTheIndexWithServices()
    {
        using (await FilledStoreAsync(SqliteFullTextPlan.DefaultSortCap))
        {
        }

        await RevertToStepEightAsync();
        await ExecuteAsync("DELETE FROM events WHERE title LIKE 'Event 8 %'"); // deleted before the upgrade, with step 7's index
        using var store = new SqliteEventStore(_database.ConnectionString) { FullTextSortCap = 0 };

        await store.MigrateAsync(CancellationToken.None).Bounded();

        var page = await store.QueryAsync(new EventQuery(Criteria("a"), EventOrder.NewestFirst, 100, CountLimit: 100), CancellationToken.None).Bounded();
        var expected = Expected("a").Where(e => !e.Title.StartsWith("Event 8 ", StringComparison.Ordinal)).Select(e => e.Id).ToArray();
        Assert.Equal(expected, page.Events.Select(e => e.Id));
        Assert.Equal((expected.Length, true), (page.TotalCount, page.TotalCountExact));
        await SqliteSearchInvariants.AssertInStepAsync(_database.ConnectionString);
    }

    /// <summary>Service filters the plan hands to FTS5 (service = x, alone or in an AND), against the same filter it cannot (inside an OR of one term).</summary>
    public static TheoryData<int, string, string[]> ServiceFilters => new()
    {
        { 1000, "a", ["rollb"] }, { 0, "a", ["rollb"] }, { 0, "b", ["event", "rollback"] }, { 1000, "b", ["1"] }, { 0, "c", ["rollb"] }, { 0, "", ["event"] },
    };

    [Theory]
    [MemberData(nameof(ServiceFilters))]
    public async Task QueryAsync_ServiceFilterWithWords_GivesTheSamePagesAndCountsAsTheFilterTheIndexCannotServe(int sortCap, string service, string[] words)
    {
        using var store = await FilledStoreAsync(sortCap);
        var equality = new Comparison(EventField.Service, Comparator.Equal, FilterValue.Of(service));
        var deployments = new Comparison(EventField.Type, Comparator.Equal, FilterValue.Of((long)Api.V1Alpha1.Type.Deployment));
        var forms = new (FilterNode Served, FilterNode Plain)[]
        {
            (equality, new AnyOf([equality])),
            (new AllOf([deployments, equality]), new AllOf([deployments, new AnyOf([equality])])),
        };

        foreach (var (served, plain) in forms)
        {
            foreach (var order in new[] { EventOrder.NewestFirst, EventOrder.CommitOrder })
            {
                foreach (var (offset, countLimit) in new[] { (0, (long?)null), (3, 2L), (0, 1000L) })
                {
                    var got = await store.QueryAsync(new EventQuery(new EventCriteria(served, words), order, 4, Offset: offset, CountLimit: countLimit), CancellationToken.None).Bounded();
                    var want = await store.QueryAsync(new EventQuery(new EventCriteria(plain, words), order, 4, Offset: offset, CountLimit: countLimit), CancellationToken.None).Bounded();

                    Assert.Equal(want.Events.Select(e => e.Id), got.Events.Select(e => e.Id));
                    Assert.Equal((want.TotalCount, want.TotalCountExact), (got.TotalCount, got.TotalCountExact));
                }
            }
        }
    }

    [Fact]
    public async Task QueryAsync_TextHoldingTheServiceTokensCharacter_FindsTheWordsOnEitherSideOfIt()
    {
        using var store = await FilledStoreAsync(SqliteFullTextPlan.DefaultSortCap);
        var e = Events()[0].Clone();
        e.Id = "ev-reserved";
        e.Title = "alpha\uE000bravo";
        e.Attributes.Service = "pay-ments/é";
        e.Attributes.Message = "charlie\uE000" + "61";
        await store.CreateAsync(e, null, CancellationToken.None).Bounded();

        foreach (var word in new[] { "alpha", "bravo", "charlie", "61" })
        {
            var page = await store.QueryAsync(new EventQuery(new EventCriteria(new Comparison(EventField.Service, Comparator.Equal, FilterValue.Of("pay-ments/é")), [word]), EventOrder.NewestFirst, 10), CancellationToken.None).Bounded();
            Assert.Equal(["ev-reserved"], page.Events.Select(found => found.Id));
        }

        await SqliteSearchInvariants.AssertInStepAsync(_database.ConnectionString);
    }

    [Fact]
    public async Task QueryAsync_WordSpellingAServicesToken_FindsNoEventByItsService()
    {
        using var store = await FilledStoreAsync(SqliteFullTextPlan.DefaultSortCap);

        // Service "a" is indexed as U+E000 then "61", its UTF-8 in hex; no event's text holds "61".
        var page = await store.QueryAsync(new EventQuery(new EventCriteria(new AllOf([]), ["61"]), EventOrder.NewestFirst, 10), CancellationToken.None).Bounded();

        Assert.Empty(page.Events);
        Assert.Equal(0, page.TotalCount);
    }

    [Fact]
    public async Task ReplaceAsync_ServiceChanged_FindsTheEventByItsNewServiceOnly()
    {
        using var store = await FilledStoreAsync(SqliteFullTextPlan.DefaultSortCap);
        var e = (await store.GetAsync("ev-01", CancellationToken.None).Bounded())!;
        var updated = e.Clone();
        updated.Attributes.Service = "moved";
        updated.Etag = "moved";

        Assert.True(await store.ReplaceAsync(updated, e.Etag, CancellationToken.None).Bounded());

        var inOld = await store.QueryAsync(new EventQuery(Criteria(e.Attributes.Service), EventOrder.NewestFirst, 100), CancellationToken.None).Bounded();
        var inNew = await store.QueryAsync(new EventQuery(Criteria("moved"), EventOrder.NewestFirst, 100), CancellationToken.None).Bounded();
        Assert.DoesNotContain("ev-01", inOld.Events.Select(found => found.Id));
        Assert.Equal(["ev-01"], inNew.Events.Select(found => found.Id));
        await SqliteSearchInvariants.AssertInStepAsync(_database.ConnectionString);
    }

    [Theory]
    [InlineData("3.41.2")]
    [InlineData("3.9.0")]
    [InlineData("2.99.99")]
    public void Require_OlderThan342_ThrowsSayingWhatIsNeeded(string version)
    {
        var error = Assert.Throws<InvalidOperationException>(() => SqliteVersion.Require(version));

        Assert.Contains($"SQLite {version} is too old", error.Message, StringComparison.Ordinal);
        Assert.Contains("3.42.0 or later", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("3.42.0")]
    [InlineData("3.53.3")]
    [InlineData("4.0")]
    public void Require_342OrLater_Passes(string version) => SqliteVersion.Require(version);

    [Fact]
    public async Task RequireAsync_BundledSqlite_Passes()
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();

        await SqliteVersion.RequireAsync(connection, null, CancellationToken.None);
    }

    private static EventCriteria Criteria(string? service) => new(
        service is null ? new AllOf([]) : new Comparison(EventField.Service, Comparator.Equal, FilterValue.Of(service)),
        ["rollb"]);

    /// <summary>The matches in the listing's order (created_at desc, id desc), from the events as made.</summary>
    private static Event[] Expected(string? service) =>
        [.. Events().Where(e => e.Title.Contains("rollback", StringComparison.Ordinal) && (service is null || e.Attributes.Service == service))
            .OrderByDescending(EventKeys.CreatedAtMicros).ThenByDescending(e => e.Id, StringComparer.Ordinal)];

    /// <summary>40 events created in an order unlike their created_at (seq and time disagree), two of them sharing one.</summary>
    private static Event[] Events() =>
        [.. Enumerable.Range(0, 40).Select(i =>
        {
            var created = Base.AddMinutes(i * 7 % 40 == 5 ? 3 : i * 7 % 40);
            var at = Timestamp.FromDateTimeOffset(created);
            return new Event
            {
                Id = $"ev-{i:D2}",
                Title = $"Event {i} {(i % 3 != 0 ? "rollback" : "deploy")}",
                CreatedAt = at,
                UpdatedAt = at,
                Etag = "e" + i,
                Attributes = new EventAttributes { Type = Api.V1Alpha1.Type.Deployment, Service = i % 2 == 0 ? "a" : "b", Message = "m" + i },
            };
        })];

    private async Task<SqliteEventStore> FilledStoreAsync(int sortCap, int membershipRows = SqliteFullTextPlan.DefaultMembershipRows)
    {
        var store = new SqliteEventStore(_database.ConnectionString) { FullTextSortCap = sortCap, FullTextMembershipRows = membershipRows };
        await store.MigrateAsync(CancellationToken.None).Bounded();
        if (await store.GetAsync("ev-00", CancellationToken.None).Bounded() is null)
        {
            foreach (var e in Events())
            {
                await store.CreateAsync(e, null, CancellationToken.None).Bounded();
            }
        }

        return store;
    }

    /// <summary>The full-text index as migration 3 made it and steps 1 to 6 left it, filled from the events (steps 7 on undone).</summary>
    private Task RevertToStepSixAsync() => ExecuteAsync("""
        DROP TRIGGER events_unindexed_on_delete;
        DROP TABLE events_fts;
        DROP VIEW events_search_text;
        DROP TABLE search_rebuild;
        DROP INDEX events_by_service_seq;
        DELETE FROM schema_migrations WHERE version >= 7;
        CREATE VIRTUAL TABLE events_fts USING fts5(
            title, message,
            content = 'events', content_rowid = 'seq',
            tokenize = 'unicode61 remove_diacritics 0 categories ''L* N* M*'''
        );
        INSERT INTO events_fts (events_fts) VALUES ('rebuild');
        CREATE TRIGGER events_unindexed_on_delete AFTER DELETE ON events WHEN old.seq IS NOT NULL BEGIN
            INSERT INTO events_fts (events_fts, rowid, title, message) VALUES ('delete', old.seq, old.title, old.message);
            DELETE FROM event_labels WHERE seq = old.seq;
            DELETE FROM event_resources WHERE seq = old.seq;
            DELETE FROM event_repeated_values WHERE seq = old.seq;
        END;
        """);

    /// <summary>The full-text index as migration 7 made it and its rebuild filled it (step 9 undone).</summary>
    private Task RevertToStepEightAsync() => ExecuteAsync("""
        DROP TRIGGER events_unindexed_on_delete;
        DROP TABLE events_fts;
        DROP VIEW events_search_text;
        DELETE FROM schema_migrations WHERE version >= 9;
        CREATE VIRTUAL TABLE events_fts USING fts5(
            title, message,
            content = 'events', content_rowid = 'seq',
            tokenize = 'unicode61 remove_diacritics 0 categories ''L* N* M*''',
            detail = none, prefix = '1 2 3 4 5 6 7 8'
        );
        INSERT INTO events_fts (events_fts) VALUES ('rebuild');
        UPDATE search_rebuild SET indexed_through = (SELECT last_value FROM event_sequence), rebuild_through = (SELECT last_value FROM event_sequence);
        CREATE TRIGGER events_unindexed_on_delete AFTER DELETE ON events WHEN old.seq IS NOT NULL BEGIN
            INSERT INTO events_fts (events_fts, rowid, title, message)
                SELECT 'delete', old.seq, old.title, old.message
                WHERE NOT EXISTS (SELECT 1 FROM search_rebuild WHERE old.seq > indexed_through AND old.seq <= rebuild_through);
            DELETE FROM event_labels WHERE seq = old.seq;
            DELETE FROM event_resources WHERE seq = old.seq;
            DELETE FROM event_repeated_values WHERE seq = old.seq;
        END;
        """);

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection(_database.ConnectionString + ";Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
