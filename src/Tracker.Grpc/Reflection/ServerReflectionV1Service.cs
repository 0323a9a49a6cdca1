using Grpc.Reflection.V1;

namespace Tracker.Grpc.Reflection;

/// <summary>grpc.reflection.v1.ServerReflection.</summary>
internal sealed class ServerReflectionV1Service(ReflectionResponder responder)
{
    public Task ServerReflectionInfo(
        IAsyncEnumerable<ServerReflectionRequest> requests,
        IServerStreamWriter<ServerReflectionResponse> responses,
        ServerCallContext context) =>
        responder.AnswerAllAsync(requests, responses, request => request, response => response, context.CancellationToken);
}
