namespace Tracker.Grpc.Transcoding;

/// <summary>
/// Matches request paths against one parsed template and captures its variables' values.
/// </summary>
internal sealed class HttpRoutePatternMatcher
{
    private readonly HttpRoutePattern _pattern;

    public HttpRoutePatternMatcher(HttpRoutePattern pattern)
    {
        _pattern = pattern;
        Precedence = pattern.Segments
            .Select(s => s.Kind switch
            {
                PatternSegmentKind.Literal => 3,
                PatternSegmentKind.AnySegment => 2,
                _ => 1,
            })
            .ToArray();
    }

    public HttpRoutePattern Pattern => _pattern;

    /// <summary>Per segment: literal 3, "*" 2, "**" 1. Compared left to right, the higher wins.</summary>
    public IReadOnlyList<int> Precedence { get; }

    /// <summary>
    /// Matches a raw (still percent-encoded) request path such as "/v1/shelves/1:archive".
    /// Returns the decoded variable values in the order of the pattern's variables, or null.
    /// </summary>
    public string[]? Match(string rawPath)
    {
        if (rawPath.Length == 0 || rawPath[0] != '/')
        {
            return null;
        }

        var path = rawPath.AsSpan(1);
        if (_pattern.Verb is { } verb)
        {
            if (!path.EndsWith(":" + verb, StringComparison.Ordinal))
            {
                return null;
            }

            path = path[..^(verb.Length + 1)];
        }

        // One trailing slash is tolerated, as ASP.NET Core routing does.
        if (path.Length > 0 && path[^1] == '/')
        {
            path = path[..^1];
        }

        var segments = path.ToString().Split('/');
        if (!MatchSegments(segments))
        {
            return null;
        }

        var values = new string[_pattern.Variables.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var variable = _pattern.Variables[i];
            var end = variable.EndSegment == _pattern.Segments.Count && _pattern.EndsWithAnyRemaining
                ? segments.Length
                : variable.EndSegment;
            values[i] = Capture(segments, variable.StartSegment, end);
        }

        return values;
    }

    private bool MatchSegments(string[] segments)
    {
        var patternSegments = _pattern.Segments;
        if (_pattern.EndsWithAnyRemaining ? segments.Length < patternSegments.Count - 1 : segments.Length != patternSegments.Count)
        {
            return false;
        }

        for (var i = 0; i < patternSegments.Count; i++)
        {
            var segment = patternSegments[i];
            switch (segment.Kind)
            {
                case PatternSegmentKind.Literal when !string.Equals(Uri.UnescapeDataString(segments[i]), segment.Literal, StringComparison.Ordinal):
                case PatternSegmentKind.AnySegment when segments[i].Length == 0:
                    return false;
                case PatternSegmentKind.AnyRemaining:
                    return true;
            }
        }

        return true;
    }

    // A one-segment variable is fully decoded; a multi-segment one keeps "%2F" encoded so that
    // its slashes stay distinguishable from the ones inside a segment (the spec's reserved expansion).
    private static string Capture(string[] segments, int start, int end)
    {
        if (end - start == 1)
        {
            return Uri.UnescapeDataString(segments[start]);
        }

        return string.Join('/', segments[start..end].Select(s => Uri.UnescapeDataString(s).Replace("/", "%2F", StringComparison.Ordinal)));
    }
}
