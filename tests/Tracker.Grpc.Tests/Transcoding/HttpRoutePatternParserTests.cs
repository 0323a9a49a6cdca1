using Tracker.Grpc.Transcoding;
using Xunit;

namespace Tracker.Grpc.Tests.Transcoding;

public sealed class HttpRoutePatternParserTests
{
    // Template -> "segments | variables as path[start,end) | verb".
    public static TheoryData<string, string> ValidTemplates => new()
    {
        { "/v1/widgets", "v1/widgets | - | " },
        { "/api/v1alpha1/event/{id}", "api/v1alpha1/event/* | id[3,4) | " },
        { "/v1/widgets/{widget.location.building}", "v1/widgets/* | widget.location.building[2,3) | " },
        { "/v1/{name=shelves/*/books/*}", "v1/shelves/*/books/* | name[1,5) | " },
        { "/v1/files/{path=**}", "v1/files/** | path[2,3) | " },
        { "/v1/{name=files/**}", "v1/files/** | name[1,3) | " },
        { "/v1/widgets/{id}:archive", "v1/widgets/* | id[2,3) | archive" },
        { "/v1/widgets:watch", "v1/widgets | - | watch" },
        { "/v1/*/x/**", "v1/*/x/** | - | " },
        { "/v1/{a}/{b=x/*}:do-it", "v1/*/x/* | a[1,2) b[2,4) | do-it" },
        { "/v1/{_a.b_2}", "v1/* | _a.b_2[1,2) | " },
        { "/v1/~user.name_1-x", "v1/~user.name_1-x | - | " },
        { "/v1/{name=**}:get", "v1/** | name[1,2) | get" },
    };

    // Template -> the exact error.
    public static TheoryData<string, string> InvalidTemplates => new()
    {
        { "", "Expected '/' at position 0." },
        { "v1/widgets", "Expected '/' at position 0." },
        { "/", "Expected a segment at position 1." },
        { "/v1//widgets", "Expected a segment at position 4." },
        { "/v1/widgets/", "Expected a segment at position 12." },
        { "/v1/{}", "Expected a field name at position 5." },
        { "/v1/{1id}", "Expected a field name at position 5." },
        { "/v1/{a.}", "Expected a field name at position 7." },
        { "/v1/{id", "Expected '}' at position 7." },
        { "/v1/{id:x}", "Expected '}' at position 7." },
        { "/v1/{id=}", "Expected a segment at position 8." },
        { "/v1/{id=shelves/{shelf}}", "Variables cannot be nested at position 16." },
        { "/v1/**/widgets", "'**' must be the last segment; found another segment at position 7." },
        { "/v1/{name=**}/x", "'**' must be the last segment; found another segment at position 14." },
        { "/v1/{id}/{id}", "Field 'id' is bound twice at position 9." },
        { "/v1/widgets:", "Expected a verb at position 12." },
        { "/v1/wid gets", "Unexpected character ' ' at position 7." },
        { "/v1/widgets:cancel/x", "Unexpected character '/' at position 18." },
        { "/v1/a*", "Unexpected character '*' at position 5." },
        { "/v1/***", "Unexpected character '*' at position 6." },
        { "/v1/{x=a:b}", "Expected '}' at position 8." },
        { "/v1/wid?gets", "Unexpected character '?' at position 7." },
    };

    [Theory]
    [MemberData(nameof(ValidTemplates))]
    public void Parse_ValidTemplate_ReturnsSegmentsVariablesAndVerb(string template, string expected)
    {
        var pattern = HttpRoutePatternParser.Parse(template);

        Assert.Equal(expected, Describe(pattern));
        Assert.Equal(template, pattern.Template);
    }

    [Theory]
    [MemberData(nameof(InvalidTemplates))]
    public void Parse_InvalidTemplate_ThrowsWithExactMessage(string template, string message)
    {
        var error = Assert.Throws<FormatException>(() => HttpRoutePatternParser.Parse(template));

        Assert.Equal(message, error.Message);
    }

    private static string Describe(HttpRoutePattern pattern)
    {
        var segments = string.Join('/', pattern.Segments);
        var variables = pattern.Variables.Count == 0 ? "-" : string.Join(' ', pattern.Variables.Select(v => $"{v.FieldPathText}[{v.StartSegment},{v.EndSegment})"));
        return $"{segments} | {variables} | {pattern.Verb}";
    }
}
