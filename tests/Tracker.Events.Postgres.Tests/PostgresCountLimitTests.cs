using System.Text.Json;
using Npgsql;
using Tracker.Events.Storage;
using Xunit;

namespace Tracker.Events.Postgres.Tests;

/// <summary>
/// The count of a query with a count limit reads at most CountLimit + 1 rows (README,
/// "Searching"): EXPLAIN ANALYZE of the store's statement shows how many rows each node under
/// the count's aggregate produced.
/// </summary>
public sealed class PostgresCountLimitTests : IAsyncLifetime
{
    private const int Stored = 40;

    private TestSchema _schema = null!;

    public async Task InitializeAsync()
    {
        _schema = await TestPostgres.CreateSchemaAsync();
        var store = _schema.CreateStore();
        await store.MigrateAsync(CancellationToken.None).WaitAsync(TestPostgres.Timeout);
        foreach (var i in Enumerable.Range(0, Stored))
        {
            await store.CreateAsync(TestEvents.New($"deploy {i}"), null, CancellationToken.None).WaitAsync(TestPostgres.Timeout);
        }
    }

    public async Task DisposeAsync() => await _schema.DisposeAsync();

    [Fact]
    public async Task Count_WithCountLimit_ReadsAtMostOneRowPastTheLimit()
    {
        var rows = await RowsUnderTheCountAsync(new EventQuery(EventCriteria.All, EventOrder.NewestFirst, Limit: 5, CountLimit: 10));

        Assert.Equal(11, rows.Max());
    }

    [Fact]
    public async Task Count_WithoutCountLimit_ReadsEveryMatch()
    {
        var rows = await RowsUnderTheCountAsync(new EventQuery(EventCriteria.All, EventOrder.NewestFirst, Limit: 5));

        Assert.Equal(Stored, rows.Max());
    }

    // The actual rows of every node below the plan's aggregate (the count): the page's nodes are
    // not under it.
    private async Task<IReadOnlyList<long>> RowsUnderTheCountAsync(EventQuery query)
    {
        await using var dataSource = NpgsqlDataSource.Create(_schema.ConnectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var explain = PostgresPageQuery.Build(query);
        explain.CommandText = "EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) " + explain.CommandText;
        explain.Connection = connection;
        var json = (string)(await explain.ExecuteScalarAsync().WaitAsync(TestPostgres.Timeout))!;
        using var plan = JsonDocument.Parse(json);
        var aggregate = Nodes(plan.RootElement[0].GetProperty("Plan")).Single(n => n.GetProperty("Node Type").GetString() == "Aggregate");
        return Nodes(aggregate).Skip(1).Select(n => (long)Math.Round(n.GetProperty("Actual Rows").GetDouble() * n.GetProperty("Actual Loops").GetDouble())).ToArray();
    }

    private static IEnumerable<JsonElement> Nodes(JsonElement node)
    {
        yield return node;
        if (node.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray().SelectMany(Nodes))
            {
                yield return child;
            }
        }
    }
}
