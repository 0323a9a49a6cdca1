using Npgsql;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;
using Xunit;
using static Tracker.Events.Postgres.Tests.Expressions;

namespace Tracker.Events.Postgres.Tests;

/// <summary>
/// Full text through each step of the plan Tracker chooses (the probe, the candidates from the
/// text index, the ordered walk, and each way of counting), forced by small bounds: every step
/// finds the events, the order and the count that one statement filtering with the text index's
/// tsquery finds (<see cref="PostgresPageQuery"/>, the plan before), and the order is the listing's.
/// </summary>
public sealed class PostgresFullTextSearchTests(PostgresFullTextSearchTests.Data data) : IClassFixture<PostgresFullTextSearchTests.Data>
{
    /// <summary>Bounds that send a query down each path.</summary>
    public static TheoryData<string> Bounds => new() { "default", "candidates", "walk", "count by walk", "count by index" };

    /// <summary>
    /// Words of each density: everywhere, half, recent only, old only, a few, none, a short prefix, several, one of one character;
    /// and several that the newest rows misjudge, so the text index is asked for some words only (the rarest among
    /// the newest rows), then for all of them when those are too many: rare and old, recent and old (none together), half and old.
    /// </summary>
    private static readonly string[] Words = ["every", "common", "recent", "old", "rare", "absent", "co", "common eve", "common 1", "r 1", "rare old", "old recent", "config old"];

    [Theory]
    [MemberData(nameof(Bounds))]
    public async Task QueryAsync_EachWordsAndFilter_FindsWhatTheTextIndexFinds(string bounds)
    {
        foreach (var words in Words)
        {
            foreach (var filter in new FilterNode[] { And(), Text(EventField.Service, Comparator.Equal, "svc-a") })
            {
                foreach (var countLimit in new long?[] { null, 3, 1_000 })
                {
                    foreach (var order in new[] { EventOrder.NewestFirst, EventOrder.CommitOrder, new EventOrder([new SortKey(EventField.Title, Descending: false)]) })
                    {
                        var query = new EventQuery(new EventCriteria(filter, words.Split(' ')), order, Limit: 7, Offset: 5, CountLimit: countLimit);

                        var expected = await data.ReferenceAsync(query);
                        var page = await data.QueryAsync(query, Limits(bounds));

                        var what = $"q={words} filter={filter} limit={countLimit} order={order.Keys[0].Field.Name}";
                        Assert.True(expected.Ids.SequenceEqual(page.Events.Select(e => e.Id)), what);
                        Assert.True(Expected(expected.Total, countLimit) == (page.TotalCount, page.TotalCountExact), $"{what}: {page.TotalCount} {page.TotalCountExact} of {expected.Total}");
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Bounds))]
    public async Task QueryAsync_PagedByCursor_ListsTheMatchesInTheListingsOrder(string bounds)
    {
        foreach (var words in new[] { "common", "recent", "old", "co" })
        {
            var listing = await data.ListingAsync();
            var expected = listing.Where(e => Data.Holds(e, words)).Select(e => e.Id).ToArray();

            var found = new List<string>();
            EventCursor? after = null;
            while (true)
            {
                var page = await data.QueryAsync(new EventQuery(new EventCriteria(And(), [words]), EventOrder.NewestFirst, Limit: 40, After: after, CountLimit: 10_000), Limits(bounds));
                found.AddRange(page.Events.Select(e => e.Id));
                if (page.Events.Count < 40)
                {
                    break;
                }

                var last = page.Stored[^1];
                after = new EventCursor([EventField.CreatedAt.SortValue(last, last.Decode())], last.Decode().Id);
            }

            Assert.Equal(expected, found);
        }
    }

    private static (long, bool) Expected(long total, long? limit) => limit is { } n && total > n ? (n, false) : (total, true);

    private static PostgresFullTextLimits Limits(string bounds) => bounds switch
    {
        "default" => PostgresFullTextLimits.Default,

        // A probe of 10 rows rarely fills a page: the text index's candidates do.
        "candidates" => new(MinProbeRows: 10, ProbeRowsPerResult: 1, CandidateCap: 10_000, CountRowsPerResult: 8, DenseRowsPerHit: 8),

        // Too few candidates allowed: the page comes from the ordered walk.
        "walk" => new(MinProbeRows: 10, ProbeRowsPerResult: 1, CandidateCap: 2, CountRowsPerResult: 8, DenseRowsPerHit: 8),

        // Every probe is dense; the count tests rows, and runs out of budget for all but the densest words.
        "count by walk" => new(MinProbeRows: 10, ProbeRowsPerResult: 1, CandidateCap: 2, CountRowsPerResult: 1, DenseRowsPerHit: 1_000_000),

        // No probe is dense, and no candidate list is complete: the count reads the text index.
        "count by index" => new(MinProbeRows: 10, ProbeRowsPerResult: 1, CandidateCap: 2, CountRowsPerResult: 1, DenseRowsPerHit: 0),
        _ => throw new ArgumentOutOfRangeException(nameof(bounds)),
    };

    /// <summary><see cref="Count"/> events, one a second, with words of every density.</summary>
    public sealed class Data : IAsyncLifetime
    {
        public const int Count = 600;

        /// <summary>400 distinct words, about 2,300 bytes of search_words.</summary>
        private static readonly string LongText = string.Join(' ', Enumerable.Range(0, 400).Select(n => "word" + n));

        private TestSchema _schema = null!;
        private NpgsqlDataSource _dataSource = null!;

        public async Task InitializeAsync()
        {
            _schema = await TestPostgres.CreateSchemaAsync();
            var store = _schema.CreateStore();
            await store.MigrateAsync(CancellationToken.None).WaitAsync(TestPostgres.Timeout);
            var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
            for (var i = 0; i < Count; i++)
            {
                var words = new List<string> { "every" };
                words.Add(i % 2 == 0 ? "common" : "config");
                if (i >= Count - 30)
                {
                    words.Add("recent");
                }

                if (i < 300)
                {
                    words.Add("old");
                }

                if (i % 250 == 7)
                {
                    words.Add("rare");
                }

                var e = TestEvents.New(title: string.Join(' ', words) + " " + (i % 13), service: i % 3 == 0 ? "svc-a" : "svc-b", createdAt: start.AddSeconds(i));
                // Some events have more words than the covering index holds (1,500 bytes): the
                // count by walk finds them through the other index.
                e.Attributes.Message = "step " + i + (i % 50 == 3 ? " " + LongText : "");
                await store.CreateAsync(e, null, CancellationToken.None).WaitAsync(TestPostgres.Timeout);
            }

            await TestPostgres.ExecuteAsync($"ANALYZE {_schema.Name}.events");
            _dataSource = PostgresConnectionFactory.Create(_schema.ConnectionString);
        }

        public async Task DisposeAsync()
        {
            await _dataSource.DisposeAsync();
            await _schema.DisposeAsync();
        }

        /// <summary>Whether every word of <paramref name="words"/> starts a word of the title.</summary>
        public static bool Holds(Event e, string words) =>
            words.Split(' ').All(w => e.Title.Split(' ').Any(t => t.StartsWith(w, StringComparison.Ordinal)));

        internal async Task<EventPage> QueryAsync(EventQuery query, PostgresFullTextLimits limits)
        {
            await using var connection = await _dataSource.OpenConnectionAsync();
            return await PostgresFullTextSearch.QueryAsync(connection, query, limits, CancellationToken.None);
        }

        /// <summary>Every event, newest first, with no words: the listing.</summary>
        public async Task<IReadOnlyList<Event>> ListingAsync()
        {
            var page = await _schema.CreateStore().QueryAsync(new EventQuery(EventCriteria.All, EventOrder.NewestFirst, Limit: Count), CancellationToken.None);
            return page.Events;
        }

        /// <summary>The page's ids and the exact total, from one statement filtering with the text index's tsquery.</summary>
        public async Task<(IReadOnlyList<string> Ids, long Total)> ReferenceAsync(EventQuery query)
        {
            await using var connection = await _dataSource.OpenConnectionAsync();
            await using var select = PostgresPageQuery.Build(query with { CountLimit = null });
            select.Connection = connection;
            await using var reader = await select.ExecuteReaderAsync();
            var ids = new List<string>();
            long total = 0;
            while (await reader.ReadAsync())
            {
                total = reader.GetInt64(0);
                if (!reader.IsDBNull(1))
                {
                    ids.Add(Event.Parser.ParseFrom(reader.GetFieldValue<byte[]>(1)).Id);
                }
            }

            return (ids, total);
        }
    }
}
