using Tracker.Events.Paging;
using Tracker.Events.Storage;
using Tracker.Events.Validation;
using Xunit;

namespace Tracker.Events.Tests.Paging;

public sealed class OrderByParserTests
{
    [Theory]
    [InlineData("", "created_at", true)]
    [InlineData("   ", "created_at", true)]
    [InlineData("created_at", "created_at", false)]
    [InlineData("created_at desc", "created_at", true)]
    [InlineData("created_at asc", "created_at", false)]
    [InlineData("start_date", "start_date", false)]
    [InlineData("start_date desc", "start_date", true)]
    [InlineData("priority asc", "priority", false)]
    [InlineData("priority desc", "priority", true)]
    [InlineData("  PRIORITY   DESC ", "priority", true)]
    [InlineData("startDate desc", "start_date", true)]
    [InlineData("createdAt", "created_at", false)]
    public void Parse_ValidOrder_ReturnsFieldAndDirection(string orderBy, string fieldName, bool descending)
    {
        var field = EventFields.Find(fieldName)!;
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
