using Google.Protobuf.Reflection;

namespace Tracker.Grpc.Transcoding;

/// <summary>
/// One HTTP binding of a method, resolved once at start-up: the HTTP method and template, the
/// request fields its variables fill, where the body goes and which response field is sent.
/// </summary>
internal sealed class TranscodingRoute
{
    public required GrpcMethod Method { get; init; }

    /// <summary>The HTTP method in upper case ("GET", or a custom kind).</summary>
    public required string HttpMethod { get; init; }

    public required HttpRoutePatternMatcher Matcher { get; init; }

    /// <summary>Per template variable, the request fields from the message down to the leaf.</summary>
    public required IReadOnlyList<IReadOnlyList<FieldDescriptor>> VariableFields { get; init; }

    /// <summary>True for <c>body: "*"</c>: the whole request message comes from the body.</summary>
    public bool BodyIsWholeMessage { get; init; }

    /// <summary>The top-level request field the body fills, for <c>body: "field"</c>.</summary>
    public FieldDescriptor? BodyField { get; init; }

    /// <summary>The top-level response field sent instead of the whole response, or null.</summary>
    public FieldDescriptor? ResponseBodyField { get; init; }

    /// <summary>The top-level google.protobuf.FieldMask field "update_mask" of the request, if any.</summary>
    public FieldDescriptor? UpdateMaskField { get; init; }

    public bool HasBody => BodyIsWholeMessage || BodyField is not null;

    public HttpRoutePattern Pattern => Matcher.Pattern;

    public override string ToString() => $"{HttpMethod} {Pattern.Template}";
}
