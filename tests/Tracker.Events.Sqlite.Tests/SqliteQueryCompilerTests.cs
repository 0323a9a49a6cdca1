using Microsoft.Data.Sqlite;
using Tracker.Events.Storage;
using Tracker.Events.Storage.Sql;

namespace Tracker.Events.Sqlite.Tests;

/// <summary>
/// The SQL text the compilers build: values only ever as parameters, the FTS5 query of the
/// words, the keyset expansion of mixed directions, and what they refuse (a value of the wrong
/// kind, a wildcard on a number, labels without a key, a sort on a field with many values).
/// </summary>
public sealed class SqliteQueryCompilerTests
{
    private const string Hostile = "x' OR 1=1; DROP TABLE events; --";

    [Fact]
    public void Build_HostileValuesEverywhere_NoValueIsInTheSqlText()
    {
        var where = new AllOf(
        [
            new Comparison(EventField.Title, Comparator.Equal, FilterValue.Of(Hostile)),
            new Comparison(EventField.Service, Comparator.Contains, FilterValue.Of(Hostile)),
            new Comparison(EventField.Labels, Comparator.Prefix, FilterValue.Of(Hostile), Hostile),
            new Presence(EventField.Labels, Hostile),
            new Comparison(EventField.ResourceName, Comparator.Suffix, FilterValue.Of(Hostile)),
            new Comparison(EventField.Code, Comparator.Greater, FilterValue.Of(424242)),
        ]);
        var query = new EventQuery(
            new EventCriteria(where, ["hostile"], AfterSequence: 737373),
            new EventOrder([new SortKey(EventField.Owner, false), new SortKey(EventField.Priority, true)]),
            Limit: 10,
            After: new EventCursor([FilterValue.Of(Hostile), FilterValue.Of(919191)], Hostile));

        var (count, page) = Build(query);

        foreach (var sql in new[] { count.CommandText, page.CommandText })
        {
            Assert.DoesNotContain("DROP", sql, StringComparison.Ordinal);
            Assert.DoesNotContain("hostile", sql, StringComparison.Ordinal);
            Assert.DoesNotContain("424242", sql, StringComparison.Ordinal);
            Assert.DoesNotContain("737373", sql, StringComparison.Ordinal);
            Assert.DoesNotContain("919191", sql, StringComparison.Ordinal);
            Assert.DoesNotContain("LIKE", sql, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Contains(page.Parameters.Cast<SqliteParameter>(), p => Equals(p.Value, Hostile));
        Assert.Contains(page.Parameters.Cast<SqliteParameter>(), p => Equals(p.Value, "\"hostile\"*"));
    }

    [Fact]
    public void Build_CountAndPage_CountIgnoresTheCursor()
    {
        var query = new EventQuery(EventCriteria.All, EventOrder.NewestFirst, Limit: 10, After: new EventCursor([FilterValue.Of(5)], "id"));

        var (count, page) = Build(query);

        Assert.Equal("SELECT COUNT(*) FROM events", count.CommandText);
        Assert.Contains("(created_at_us, id) < ($p0, $p1)", page.CommandText, StringComparison.Ordinal);
    }

    [Fact]
    public void After_MixedDirections_ExpandsKeyByKeyWithTheIdInTheFirstKeysDirection()
    {
        var parameters = new SqliteQueryParameters();
        var order = new EventOrder([new SortKey(EventField.Service, false), new SortKey(EventField.EndDate, true)]);

        var sql = Order(order, parameters).After(new EventCursor([FilterValue.Of("s"), FilterValue.Of(7)], "id"));

        Assert.Equal(
            "(service > $p0 OR (service = $p0 AND (COALESCE(end_date_us, -9223372036854775807 - 1) < $p1 OR (COALESCE(end_date_us, -9223372036854775807 - 1) = $p1 AND id > $p2))))",
            sql);
        Assert.Equal("service ASC, COALESCE(end_date_us, -9223372036854775807 - 1) DESC, id ASC", Order(order).OrderBy());
    }

    [Fact]
    public void OrderBy_SequenceKey_EndsTheOrderWithoutAnIdTieBreak()
    {
        var order = new EventOrder([new SortKey(EventField.Severity, true), new SortKey(EventField.Sequence, false), new SortKey(EventField.Title, true)]);

        Assert.Equal("severity DESC, seq ASC", Order(order).OrderBy());
    }

    [Theory]
    [InlineData(new[] { "deploy" }, "\"deploy\"*")]
    [InlineData(new[] { "checkout", "v1" }, "\"checkout\"* AND \"v1\"*")]
    [InlineData(new[] { "a\"b" }, "\"a\"\"b\"*")]
    [InlineData(new[] { "", "x" }, "\"x\"*")]
    public void FullTextQuery_Words_EachAQuotedPrefixPhraseAllRequired(string[] words, string expected)
    {
        Assert.Equal(expected, SqliteSqlDialect.FullTextQuery(words));
    }

    [Fact]
    public void FullTextQuery_NoWords_IsNull()
    {
        Assert.Null(SqliteSqlDialect.FullTextQuery([]));
    }

    public static TheoryData<string> InvalidNodes => new(Invalid.Keys);

    private static readonly Dictionary<string, FilterNode> Invalid = new()
    {
        ["text value for a number"] = new Comparison(EventField.Priority, Comparator.Equal, FilterValue.Of("P1")),
        ["number value for text"] = new Comparison(EventField.Title, Comparator.Equal, FilterValue.Of(1)),
        ["wildcard on a number"] = new Comparison(EventField.Code, Comparator.Prefix, FilterValue.Of(1)),
        ["labels without a key"] = new Comparison(EventField.Labels, Comparator.Equal, FilterValue.Of("v")),
        ["a key on another field"] = new Comparison(EventField.Service, Comparator.Equal, FilterValue.Of("v"), "k"),
        ["a key on another field's presence"] = new Presence(EventField.Owner, "k"),
        ["sequence is no filter field"] = new Comparison(EventField.Sequence, Comparator.Greater, FilterValue.Of(1)),
    };

    [Theory]
    [MemberData(nameof(InvalidNodes))]
    public void Compile_InvalidNode_Throws(string name)
    {
        var compiler = new SqlFilterCompiler(new SqliteSqlDialect(new SqliteQueryParameters()));

        Assert.ThrowsAny<ArgumentException>(() => compiler.Compile(new EventCriteria(Invalid[name], [])));
    }

    [Fact]
    public void OrderBy_FieldWithManyValues_Throws()
    {
        Assert.Throws<ArgumentException>(() => Order(new EventOrder([new SortKey(EventField.Labels, false)])).OrderBy());
    }

    [Fact]
    public void After_CursorWithTooFewValues_Throws()
    {
        var order = new EventOrder([new SortKey(EventField.Service, false), new SortKey(EventField.Priority, false)]);

        Assert.Throws<ArgumentException>(() => Order(order).After(new EventCursor([FilterValue.Of("s")], "id")));
    }

    private static SqlOrder Order(EventOrder order, SqliteQueryParameters? parameters = null) =>
        new(order, new SqliteSqlDialect(parameters ?? new SqliteQueryParameters()));

    private static (SqliteCommand Count, SqliteCommand Page) Build(EventQuery query)
    {
        var count = new SqliteCommand();
        var page = new SqliteCommand();
        SqlitePageQuery.Build(query, count, page);
        return (count, page);
    }
}
