namespace Tracker.Grpc;

/// <summary>Limits of the gRPC runtime, as Grpc.AspNetCore's defaults.</summary>
public sealed class GrpcRuntimeOptions
{
    /// <summary>The largest request message accepted, in bytes (RESOURCE_EXHAUSTED beyond).</summary>
    public int MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;
}
