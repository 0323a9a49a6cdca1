namespace Tracker.Grpc.Transcoding;

/// <summary>What one segment of a parsed template matches.</summary>
internal enum PatternSegmentKind
{
    /// <summary>Exactly the literal text.</summary>
    Literal,

    /// <summary>"*": any one segment.</summary>
    AnySegment,

    /// <summary>"**": zero or more segments, only at the end.</summary>
    AnyRemaining,
}

internal sealed record PatternSegment(PatternSegmentKind Kind, string Literal = "")
{
    public override string ToString() => Kind switch
    {
        PatternSegmentKind.Literal => Literal,
        PatternSegmentKind.AnySegment => "*",
        _ => "**",
    };
}

/// <summary>
/// A variable of a template: the request field it fills, and the segments it captures,
/// from <see cref="StartSegment"/> up to (excluding) <see cref="EndSegment"/>.
/// </summary>
internal sealed record PatternVariable(IReadOnlyList<string> FieldPath, int StartSegment, int EndSegment)
{
    public string FieldPathText => string.Join('.', FieldPath);
}

/// <summary>A parsed <c>google.api.http</c> path template.</summary>
internal sealed record HttpRoutePattern(
    string Template,
    IReadOnlyList<PatternSegment> Segments,
    IReadOnlyList<PatternVariable> Variables,
    string? Verb)
{
    /// <summary>Whether the template ends with "**", so a path may have any number of extra segments.</summary>
    public bool EndsWithAnyRemaining => Segments.Count > 0 && Segments[^1].Kind == PatternSegmentKind.AnyRemaining;
}
