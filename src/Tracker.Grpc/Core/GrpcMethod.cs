using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Tracker.Grpc;

/// <summary>
/// One method bound to its implementation: what routing, transcoding, reflection and health
/// read. Exactly one invoker, the one matching <see cref="Kind"/>, is set.
/// </summary>
public sealed class GrpcMethod
{
    public required MethodDescriptor Descriptor { get; init; }

    public required MethodKind Kind { get; init; }

    public UnaryInvoker? Unary { get; init; }

    public ServerStreamingInvoker? ServerStreaming { get; init; }

    public ClientStreamingInvoker? ClientStreaming { get; init; }

    public DuplexStreamingInvoker? DuplexStreaming { get; init; }

    /// <summary>The HTTP/2 path of the method, "/package.Service/Method".</summary>
    public string Path => $"/{Descriptor.Service.FullName}/{Descriptor.Name}";

    public MessageParser RequestParser => Descriptor.InputType.Parser;
}
