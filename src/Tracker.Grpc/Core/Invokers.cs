using Google.Protobuf;

namespace Tracker.Grpc;

// Untyped entry points into a bound service method. The transport (framing or JSON
// transcoding) turns bytes into request messages and calls these; the binder adapts them to
// the implementation's typed methods once, at start-up.

public delegate Task<IMessage> UnaryInvoker(
    IServiceProvider services, IMessage request, ServerCallContext context);

public delegate Task ServerStreamingInvoker(
    IServiceProvider services, IMessage request, IServerStreamWriter<IMessage> responses, ServerCallContext context);

public delegate Task<IMessage> ClientStreamingInvoker(
    IServiceProvider services, IAsyncEnumerable<IMessage> requests, ServerCallContext context);

public delegate Task DuplexStreamingInvoker(
    IServiceProvider services, IAsyncEnumerable<IMessage> requests, IServerStreamWriter<IMessage> responses, ServerCallContext context);
