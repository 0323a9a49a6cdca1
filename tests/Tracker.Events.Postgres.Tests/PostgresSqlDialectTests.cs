using Npgsql;
using Tracker.Events.Storage;
using Tracker.Events.Storage.Sql;
using Tracker.Events.Tests.Support;
using Xunit;

namespace Tracker.Events.Postgres.Tests;

/// <summary>Every declared field compiles on PostgreSQL: each comparator its kind takes, presence, and (when it sorts) ORDER BY and the keyset.</summary>
public sealed class PostgresSqlDialectTests
{
    public static TheoryData<string> FieldNames => new(EventFields.All.Select(f => f.Name));

    [Theory]
    [MemberData(nameof(FieldNames))]
    public void Compile_EveryDeclaredField_GivesSqlForEachComparatorPresenceAndOrder(string name)
    {
        var field = EventFields.Find(name)!;
        using var command = new NpgsqlCommand();
        var dialect = new PostgresSqlDialect(new PostgresQueryParameters(command.Parameters));
        var compiler = new SqlFilterCompiler(dialect);

        foreach (var node in DeclaredFieldNodes.Of(field))
        {
            Assert.NotEmpty(compiler.Node(node));
        }

        if (field.Sortable)
        {
            var order = new SqlOrder(new EventOrder([new SortKey(field, Descending: false)]), dialect);
            Assert.StartsWith(order.Expressions[0] + " ASC", order.OrderBy(), StringComparison.Ordinal);
            Assert.NotEmpty(order.After(new EventCursor([DeclaredFieldNodes.ValueOf(field)], "id")));
        }
    }

    [Fact]
    public void Compile_RepeatedTextFieldEquality_IsTheContainmentItsGinIndexServes()
    {
        using var command = new NpgsqlCommand();
        var compiler = new SqlFilterCompiler(new PostgresSqlDialect(new PostgresQueryParameters(command.Parameters)));

        var sql = compiler.Node(new Comparison(EventField.Arguments, Comparator.Equal, FilterValue.Of("vm1")));

        Assert.Equal("arguments @> jsonb_build_array($1)", sql);
    }

    [Fact]
    public void Build_OrderByCommitPosition_EndsAtSeqAndFindsTheRowsBySeq()
    {
        using var command = PostgresPageQuery.Build(new EventQuery(EventCriteria.All, EventOrder.CommitOrder, Limit: 10));

        Assert.Contains("ORDER BY seq ASC\n", command.CommandText, StringComparison.Ordinal);
        Assert.Contains("ON e.seq = p.k0", command.CommandText, StringComparison.Ordinal);
    }
}
