namespace Tracker.Grpc.Transcoding;

/// <summary>Settings of the REST/JSON transcoding of the bound gRPC services.</summary>
public sealed class GrpcTranscodingOptions
{
    private readonly List<byte[]> _sourceInfo = [];

    /// <summary>The largest request body read, in bytes; larger ones get 413. 4 MiB, like gRPC's receive limit.</summary>
    public long MaxRequestBodySize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Whether JSON body fields unknown to the request message are skipped instead of refused.</summary>
    public bool IgnoreUnknownBodyFields { get; set; }

    /// <summary>Where the OpenAPI document is served; null to serve none.</summary>
    public string? OpenApiPath { get; set; } = "/openapi.json";

    /// <summary>The OpenAPI document's info.title.</summary>
    public string OpenApiTitle { get; set; } = "gRPC services";

    /// <summary>The OpenAPI document's info.version.</summary>
    public string OpenApiVersion { get; set; } = "1.0.0";

    /// <summary>The descriptor sets (with source info) that comments come from.</summary>
    internal IReadOnlyList<byte[]> SourceInfo => _sourceInfo;

    /// <summary>
    /// Adds a serialized google.protobuf.FileDescriptorSet built with source info (protoc
    /// <c>--include_source_info</c>): the proto comments become the OpenAPI descriptions.
    /// </summary>
    public GrpcTranscodingOptions AddSourceInfo(Stream descriptorSet)
    {
        ArgumentNullException.ThrowIfNull(descriptorSet);
        using var copy = new MemoryStream();
        descriptorSet.CopyTo(copy);
        _sourceInfo.Add(copy.ToArray());
        return this;
    }
}
