using Tracker.Grpc.Transcoding;
using Xunit;

namespace Tracker.Grpc.Tests.Transcoding;

public sealed class HttpRoutePatternMatcherTests
{
    // Template, raw request path -> the captured values joined by "|", or null for no match.
    public static TheoryData<string, string, string?> Cases => new()
    {
        { "/v1/widgets", "/v1/widgets", "" },
        { "/v1/widgets", "/v1/widgets/", "" },
        { "/v1/widgets", "/v1/widget", null },
        { "/v1/widgets", "/v1/widgets/x", null },
        { "/v1/widgets/{id}", "/v1/widgets/42", "42" },
        { "/v1/widgets/{id}", "/v1/widgets/a%20b", "a b" },
        { "/v1/widgets/{id}", "/v1/widgets/a%2Fb", "a/b" },
        { "/v1/widgets/{id}", "/v1/widgets/", null },
        { "/v1/widgets/{id}", "/v1/widgets/1/2", null },
        { "/v1/{name=shelves/*/books/*}", "/v1/shelves/s1/books/b2", "shelves/s1/books/b2" },
        { "/v1/{name=shelves/*/books/*}", "/v1/shelves/s1/notes/b2", null },
        { "/v1/files/{path=**}", "/v1/files/a/b/c.txt", "a/b/c.txt" },
        { "/v1/files/{path=**}", "/v1/files", "" },
        { "/v1/files/{path=**}", "/v1/files/a%2Fb/c", "a%2Fb/c" },
        { "/v1/files/{path=**}", "/v1/file", null },
        { "/v1/widgets/{id}:archive", "/v1/widgets/7:archive", "7" },
        { "/v1/widgets/{id}:archive", "/v1/widgets/7", null },
        { "/v1/widgets/{id}:archive", "/v1/widgets/7:restore", null },
        { "/v1/widgets/{id}", "/v1/widgets/7:archive", "7:archive" },
        { "/v1/{a}/x/{b.c}", "/v1/one/x/two", "one|two" },
        { "/v1/~w", "/v1/%7Ew", "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Match_RequestPath_CapturesVariablesOrRejects(string template, string path, string? expected)
    {
        var matcher = new HttpRoutePatternMatcher(HttpRoutePatternParser.Parse(template));

        var values = matcher.Match(path);

        Assert.Equal(expected, values is null ? null : string.Join('|', values));
    }
}
