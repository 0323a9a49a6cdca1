using Tracker.Events.Paging;
using Tracker.Events.Storage;
using Tracker.Events.Validation;
using Xunit;

namespace Tracker.Events.Tests.Paging;

public sealed class OrderByParserTests
{
    [Theory]
    [InlineData("", EventField.CreatedAt, true)]
    [InlineData("   ", EventField.CreatedAt, true)]
    [InlineData("created_at", EventField.CreatedAt, false)]
    [InlineData("created_at desc", EventField.CreatedAt, true)]
    [InlineData("created_at asc", EventField.CreatedAt, false)]
    [InlineData("start_date", EventField.StartDate, false)]
    [InlineData("start_date desc", EventField.StartDate, true)]
    [InlineData("priority asc", EventField.Priority, false)]
    [InlineData("priority desc", EventField.Priority, true)]
    [InlineData("  PRIORITY   DESC ", EventField.Priority, true)]
    [InlineData("startDate desc", EventField.StartDate, true)]
    [InlineData("createdAt", EventField.CreatedAt, false)]
    public void Parse_ValidOrder_ReturnsFieldAndDirection(string orderBy, EventField field, bool descending)
    {
        var violations = new Violations();

        var order = OrderByParser.Parse(orderBy, violations);

        Assert.False(violations.Any);
        Assert.Equal([new SortKey(field, descending)], order!.Keys);
    }

    [Fact]
    public void Parse_SeveralKeys_KeepsTheirOrderAndDirections()
    {
        var violations = new Violations();

        var order = OrderByParser.Parse("severity desc, attributes.start_date, title asc,end_date DESC", violations);

        Assert.False(violations.Any);
        Assert.Equal(
            [new SortKey(EventField.Severity, true), new SortKey(EventField.StartDate, false), new SortKey(EventField.Title, false), new SortKey(EventField.EndDate, true)],
            order!.Keys);
    }

    [Theory]
    [InlineData("labels")]
    [InlineData("stake_holders desc")]
    [InlineData("title, title desc")]
    [InlineData("priority,,created_at")]
    [InlineData("a,b,c,d,e,f,g,h,i")]
    [InlineData("created_at up")]
    [InlineData("created_at desc extra")]
    [InlineData("desc")]
    public void Parse_InvalidOrder_ViolatesOrderBy(string orderBy)
    {
        var violations = new Violations();

        var order = OrderByParser.Parse(orderBy, violations);

        Assert.Null(order);
        Assert.Equal("order_by", Assert.Single(violations.Items).Field);
    }
}
