using Tracker.Events.Paging;
using Tracker.Events.Storage;
using Tracker.Events.Validation;
using Xunit;

namespace Tracker.Events.Tests.Paging;

public sealed class PagingParserTests
{
    [Fact]
    public void Parse_NothingGiven_FirstPageOf50NewestFirst()
    {
        var paging = Parse(new PagingFields(0, 0, 0, "", ""));

        Assert.Equal(50, paging.Size);
        Assert.Equal(0, paging.Offset);
        Assert.False(paging.UsesToken);
        Assert.Equal(new SortKey(EventField.CreatedAt, Descending: true), Assert.Single(paging.Order.Keys));
    }

    [Theory]
    [InlineData(10, 1, 10, 0)]
    [InlineData(10, 0, 10, 0)]
    [InlineData(10, 3, 10, 20)]
    [InlineData(1000, 2, 1000, 1000)]
    [InlineData(5000, 2, 1000, 1000)]
    [InlineData(int.MaxValue, int.MaxValue, 1000, (int.MaxValue - 1L) * 1000)]
    public void Parse_PerPageAndPage_SizeCoercedAndOffsetComputed(int perPage, int page, int size, long offset)
    {
        var paging = Parse(new PagingFields(perPage, page, 0, "", ""));

        Assert.Equal(size, paging.Size);
        Assert.Equal(offset, paging.Offset);
        Assert.False(paging.UsesToken);
    }

    [Theory]
    [InlineData(25, "", 25)]
    [InlineData(5000, "", 1000)]
    [InlineData(0, "token", 50)]
    public void Parse_PageSizeOrToken_UsesTokenPaging(int pageSize, string token, int size)
    {
        var paging = Parse(new PagingFields(0, 0, pageSize, token, ""));

        Assert.True(paging.UsesToken);
        Assert.Equal(size, paging.Size);
        Assert.Equal(token, paging.PageToken);
    }

    [Theory]
    [InlineData(-1, 0, 0, "per_page")]
    [InlineData(0, -1, 0, "page")]
    [InlineData(0, 0, -5, "page_size")]
    public void Parse_NegativeNumber_ViolatesThatField(int perPage, int page, int pageSize, string field)
    {
        var violations = new Violations();

        Assert.Null(PagingParser.Parse(new PagingFields(perPage, page, pageSize, "", ""), violations));
        Assert.Equal(field, Assert.Single(violations.Items).Field);
    }

    [Fact]
    public void Parse_SeveralBadFields_ReportsEach()
    {
        var violations = new Violations();

        PagingParser.Parse(new PagingFields(-1, -1, -1, "", "sideways"), violations);

        Assert.Equal(["per_page", "page", "page_size", "order_by"], violations.Items.Select(v => v.Field));
    }

    private static PagingRequest Parse(PagingFields fields)
    {
        var violations = new Violations();
        var paging = PagingParser.Parse(fields, violations);
        Assert.False(violations.Any);
        return Assert.IsType<PagingRequest>(paging);
    }
}
