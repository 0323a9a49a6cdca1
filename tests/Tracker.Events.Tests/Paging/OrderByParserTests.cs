using Tracker.Events.Paging;
using Tracker.Events.Storage;
using Tracker.Events.Validation;
using Xunit;

namespace Tracker.Events.Tests.Paging;

public sealed class OrderByParserTests
{
    [Theory]
    [InlineData("", EventSortField.CreatedAt, true)]
    [InlineData("   ", EventSortField.CreatedAt, true)]
    [InlineData("created_at", EventSortField.CreatedAt, false)]
    [InlineData("created_at desc", EventSortField.CreatedAt, true)]
    [InlineData("created_at asc", EventSortField.CreatedAt, false)]
    [InlineData("start_date", EventSortField.EventTime, false)]
    [InlineData("start_date desc", EventSortField.EventTime, true)]
    [InlineData("priority asc", EventSortField.Priority, false)]
    [InlineData("priority desc", EventSortField.Priority, true)]
    [InlineData("  PRIORITY   DESC ", EventSortField.Priority, true)]
    [InlineData("startDate desc", EventSortField.EventTime, true)]
    [InlineData("createdAt", EventSortField.CreatedAt, false)]
    public void Parse_ValidOrder_ReturnsFieldAndDirection(string orderBy, EventSortField field, bool descending)
    {
        var violations = new Violations();

        var order = OrderByParser.Parse(orderBy, violations);

        Assert.False(violations.Any);
        Assert.Equal(new EventOrder(field, descending), order);
    }

    [Theory]
    [InlineData("title")]
    [InlineData("created_at up")]
    [InlineData("created_at desc extra")]
    [InlineData("priority,created_at")]
    [InlineData("priority desc, created_at")]
    [InlineData("desc")]
    public void Parse_InvalidOrder_ViolatesOrderBy(string orderBy)
    {
        var violations = new Violations();

        var order = OrderByParser.Parse(orderBy, violations);

        Assert.Null(order);
        Assert.Equal("order_by", Assert.Single(violations.Items).Field);
    }
}
