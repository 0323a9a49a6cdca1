using Tracker.Events.Querying;
using Xunit;

namespace Tracker.Events.Tests.Querying;

public sealed class SearchDateParserTests
{
    [Theory]
    [InlineData("2024-01-15T10:00:00Z", "2024-01-15T10:00:00.0000000+00:00")]
    [InlineData("2024-01-15t10:00:00z", "2024-01-15T10:00:00.0000000+00:00")]
    [InlineData("2024-01-15 10:00:00Z", "2024-01-15T10:00:00.0000000+00:00")]
    [InlineData("2024-01-15T12:30:00+02:30", "2024-01-15T10:00:00.0000000+00:00")]
    [InlineData("2024-01-15T05:00:00-05:00", "2024-01-15T10:00:00.0000000+00:00")]
    [InlineData("2024-01-15T10:00:00.5Z", "2024-01-15T10:00:00.5000000+00:00")]
    [InlineData("2024-01-15T10:00:00.123456789Z", "2024-01-15T10:00:00.1234560+00:00")]
    [InlineData("2024-02-29T00:00:00Z", "2024-02-29T00:00:00.0000000+00:00")]
    [InlineData("0001-01-01T00:00:00Z", "0001-01-01T00:00:00.0000000+00:00")]
    [InlineData("9999-12-31T23:59:59.999999Z", "9999-12-31T23:59:59.9999990+00:00")]
    public void Parse_Rfc3339_ReturnsTheInstantToTheMicrosecond(string text, string expected)
    {
        var parsed = SearchDateParser.Parse(text);

        Assert.NotNull(parsed);
        Assert.False(parsed.Value.DateOnly);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), parsed.Value.Instant);
    }

    [Fact]
    public void Parse_DateOnly_ReturnsUtcMidnightMarkedAsDate()
    {
        var parsed = SearchDateParser.Parse("2024-01-31");

        Assert.NotNull(parsed);
        Assert.True(parsed.Value.DateOnly);
        Assert.Equal(new DateTimeOffset(2024, 1, 31, 0, 0, 0, TimeSpan.Zero), parsed.Value.Instant);
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("15/01/2024")]
    [InlineData("2024-1-15")]
    [InlineData("2024-13-01")]
    [InlineData("2023-02-29")]
    [InlineData("2024-01-32")]
    [InlineData("0000-01-01")]
    [InlineData("2024-01-15T10:00:00")]
    [InlineData("2024-01-15T10:00Z")]
    [InlineData("2024-01-15T24:00:00Z")]
    [InlineData("2024-01-15T10:60:00Z")]
    [InlineData("2024-01-15T10:00:60Z")]
    [InlineData("2024-01-15T10:00:00+24:00")]
    [InlineData("2024-01-15T10:00:00.Z")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    [InlineData("9999-12-31T23:59:59-01:00")]
    [InlineData(" 2024-01-15")]
    [InlineData("2024-01-15\n")]
    [InlineData("２０２４-01-15")]
    public void Parse_NotRfc3339OrADate_ReturnsNull(string text)
    {
        Assert.Null(SearchDateParser.Parse(text));
    }
}
