using Tracker.Events.Storage;
using Tracker.Events.Storage.Sql;
using Tracker.Events.Tests.Support;
using Xunit;

namespace Tracker.Events.Sqlite.Tests;

/// <summary>Every declared field compiles on SQLite: each comparator its kind takes, presence, and (when it sorts) ORDER BY and the keyset.</summary>
public sealed class SqliteSqlDialectTests
{
    public static TheoryData<string> FieldNames => new(EventFields.All.Select(f => f.Name));

    [Theory]
    [MemberData(nameof(FieldNames))]
    public void Compile_EveryDeclaredField_GivesSqlForEachComparatorPresenceAndOrder(string name)
    {
        var field = EventFields.Find(name)!;
        var compiler = new SqlFilterCompiler(new SqliteSqlDialect(new SqliteQueryParameters()));

        foreach (var node in DeclaredFieldNodes.Of(field))
        {
            Assert.NotEmpty(compiler.Node(node));
        }

        if (field.Sortable)
        {
            var order = new SqlOrder(new EventOrder([new SortKey(field, Descending: false)]), new SqliteSqlDialect(new SqliteQueryParameters()));
            Assert.StartsWith(order.Expressions[0] + " ASC", order.OrderBy(), StringComparison.Ordinal);
            Assert.NotEmpty(order.After(new EventCursor([DeclaredFieldNodes.ValueOf(field)], "id")));
        }
    }

    [Fact]
    public void Compile_RepeatedTextField_ReadsItsRowsOfTheSharedSideTable()
    {
        var compiler = new SqlFilterCompiler(new SqliteSqlDialect(new SqliteQueryParameters()));

        var sql = compiler.Node(new Comparison(EventField.Arguments, Comparator.Equal, FilterValue.Of("vm1")));

        Assert.Equal("seq IN (SELECT seq FROM event_repeated_values WHERE field = 'arguments' AND value = $p0)", sql);
    }
}
