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
/// way the index serves (labels @> and ?, the words' exact tsvector expression, seq).
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
