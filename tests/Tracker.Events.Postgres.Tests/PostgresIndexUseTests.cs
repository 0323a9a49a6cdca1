using System.Text;
using Npgsql;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;
using Xunit;
using Xunit.Abstractions;
using static Tracker.Events.Postgres.Tests.Expressions;

namespace Tracker.Events.Postgres.Tests;

/// <summary>
/// The plans PostgreSQL chooses for the store's SQL over a few thousand analysed events: each
/// selective term is answered from its index, which only happens when the SQL is written the
/// way the index serves (labels @> and ?, the words' exact tsvector expression, seq); and the
/// steps of a full-text query each read the index Tracker chose for them, whatever the words.
/// </summary>
public sealed class PostgresIndexUseTests(PostgresIndexUseTests.Data data, ITestOutputHelper output) : IClassFixture<PostgresIndexUseTests.Data>
{
    public static TheoryData<string, string[]> Cases => new()
    {
        { "label equality", ["events_labels"] },
        { "label presence", ["events_labels"] },
        { "label prefix", ["events_labels"] },
        { "full text", ["events_words"] },
        { "three-term OR", ["BitmapOr", "events_labels", "events_stake_holders", "Index Cond: (service = "] },
        { "resource equality", ["events_resources"] },
        { "after sequence", ["events_seq"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task QueryPlan_SelectiveTerm_ReadsItsIndex(string name, string[] expectedInPlan)
    {
        var plan = await data.ExplainAsync(Query(name));
        output.WriteLine(plan);

        Assert.All(expectedInPlan, expected => Assert.Contains(expected, plan, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("zebr")]
    [InlineData("routine")]
    [InlineData("ro")]
    public async Task FullTextCandidates_AnyWordUnderAnyTextSearchConfiguration_ReadTheTextIndex(string word)
    {
        // "routine" is in nearly every row: left to itself, the planner would scan the table.
        var query = new EventQuery(new EventCriteria(Text(EventField.Service, Comparator.Equal, "svc-3"), [word]), EventOrder.NewestFirst, Limit: 50);

        var plan = await data.ExplainAsync(PostgresFullTextSql.Candidates(query, 10_001), ["SET LOCAL default_text_search_config = 'pg_catalog.english'", .. PostgresFullTextSql.IndexOnly]);
        output.WriteLine(plan);

        Assert.Contains("Bitmap Index Scan on events_words", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("events_filter_service", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FullTextProbe_RareWord_WalksTheOrdersIndexNotTheTextIndex()
    {
        var query = new EventQuery(new EventCriteria(And(), ["zebr"]), EventOrder.NewestFirst, Limit: 50);

        var plan = await data.ExplainAsync(PostgresFullTextSql.Probe(query, 1000), []);
        output.WriteLine(plan);

        Assert.Contains("Index Scan Backward using events_order_created_at", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("events_words", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TextIndex_Expression_IsTheQuerysAndImmutableWithNoTextSearchConfiguration()
    {
        // array_to_tsvector takes the words as lexemes: no configuration (to_tsvector's first
        // argument) is involved, so default_text_search_config cannot change what it gives.
        var definition = await TestPostgres.ScalarAsync<string>(
            $"SELECT pg_get_indexdef(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '{data.SchemaName}' AND c.relname = 'events_words'");
        var volatility = await TestPostgres.ScalarAsync<string>(
            "SELECT string_agg(DISTINCT provolatile::text, '') FROM pg_proc WHERE proname IN ('array_to_tsvector', 'string_to_array', 'ts_match_vq')");

        Assert.EndsWith("USING gin (array_to_tsvector(string_to_array(search_words, ' '::text)))", definition, StringComparison.Ordinal);
        Assert.Equal("array_to_tsvector(string_to_array(search_words, ' '))", PostgresSearchWords.Vector);
        Assert.Equal("i", volatility);
    }

    private static EventQuery Query(string name)
    {
        var criteria = name switch
        {
            "label equality" => new EventCriteria(Label("team", Comparator.Equal, "team-7"), []),
            "label presence" => new EventCriteria(HasLabel("rare"), []),
            "label prefix" => new EventCriteria(Label("rare", Comparator.Prefix, "y"), []),
            "full text" => new EventCriteria(And(), ["zebr"]),
            "three-term OR" => new EventCriteria(Or(Label("team", Comparator.Equal, "team-7"), Text(EventField.StakeHolders, Comparator.Equal, "holder-3"), Text(EventField.Service, Comparator.Equal, "svc-rare")), []),
            "resource equality" => new EventCriteria(Text(EventField.ResourceName, Comparator.Equal, "pod-77"), []),
            "after sequence" => new EventCriteria(And(), [], Data.Count - 20),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        return new EventQuery(criteria, name == "after sequence" ? EventOrder.CommitOrder : EventOrder.NewestFirst, Limit: 50);
    }

    /// <summary>A schema of <see cref="Count"/> events, where each term above matches a handful, analysed.</summary>
    public sealed class Data : IAsyncLifetime
    {
        public const int Count = 5_000;

        private TestSchema _schema = null!;

        public async Task InitializeAsync()
        {
            _schema = await TestPostgres.CreateSchemaAsync();
            var store = _schema.CreateStore();
            await store.MigrateAsync(CancellationToken.None).WaitAsync(TestPostgres.Timeout);
            var events = Enumerable.Range(0, Count).Select(i =>
            {
                var e = TestEvents.New(title: i % 1000 == 0 ? "zebra crossing" : $"routine deploy {i}", service: i == 42 ? "svc-rare" : "svc-" + (i % 20));
                e.Attributes.Labels.Add("team", "team-" + (i % 800));
                if (i % 1000 == 1)
                {
                    e.Attributes.Labels.Add("rare", "yes");
                }

                e.Attributes.StakeHolders.Add("holder-" + (i % 900));
                e.Attributes.Resources.Add(new ResourceRef { Kind = "Pod", Name = "pod-" + (i % 700) });
                return e;
            }).ToArray();
            await Task.WhenAll(events.Select(e => store.CreateAsync(e, null, CancellationToken.None))).WaitAsync(TimeSpan.FromMinutes(2));
            await TestPostgres.ExecuteAsync($"ANALYZE {_schema.Name}.events");
        }

        public async Task DisposeAsync() => await _schema.DisposeAsync();

        public string SchemaName => _schema.Name;

        /// <summary>EXPLAIN of one step of a full-text query, after <paramref name="settings"/>, in one transaction.</summary>
        internal async Task<string> ExplainAsync(NpgsqlBatchCommand step, IReadOnlyList<string> settings)
        {
            await using var dataSource = NpgsqlDataSource.Create(_schema.ConnectionString);
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            foreach (var setting in settings)
            {
                await using var set = new NpgsqlCommand(setting, connection, transaction);
                await set.ExecuteNonQueryAsync();
            }

            await using var explain = new NpgsqlCommand("EXPLAIN (COSTS OFF) " + step.CommandText, connection, transaction);
            foreach (NpgsqlParameter parameter in step.Parameters.ToArray())
            {
                step.Parameters.Remove(parameter);
                explain.Parameters.Add(parameter);
            }

            var plan = new StringBuilder();
            await using var reader = await explain.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                plan.AppendLine(reader.GetString(0));
            }

            return plan.ToString();
        }

        /// <summary>EXPLAIN of the statement the store runs for <paramref name="query"/>, with its parameters' values.</summary>
        public async Task<string> ExplainAsync(EventQuery query)
        {
            await using var dataSource = NpgsqlDataSource.Create(_schema.ConnectionString);
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var explain = PostgresPageQuery.Build(query);
            explain.CommandText = "EXPLAIN (COSTS OFF) " + explain.CommandText;
            explain.Connection = connection;
            var plan = new StringBuilder();
            await using var reader = await explain.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                plan.AppendLine(reader.GetString(0));
            }

            return plan.ToString();
        }
    }
}
