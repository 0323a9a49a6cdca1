using Google.Protobuf;
using V1 = Grpc.Reflection.V1;
using V1Alpha = Grpc.Reflection.V1Alpha;

namespace Tracker.Grpc.Reflection;

/// <summary>
/// grpc.reflection.v1alpha.ServerReflection, still the only version many clients ask for. Its
/// messages are wire-identical to v1's, so each one is converted through its bytes and answered
/// by the same responder.
/// </summary>
internal sealed class ServerReflectionV1AlphaService(ReflectionResponder responder)
{
    public Task ServerReflectionInfo(
        IAsyncEnumerable<V1Alpha.ServerReflectionRequest> requests,
        IServerStreamWriter<V1Alpha.ServerReflectionResponse> responses,
        ServerCallContext context) =>
        responder.AnswerAllAsync(
            requests,
            responses,
            request => V1.ServerReflectionRequest.Parser.ParseFrom(request.ToByteString()),
            response => V1Alpha.ServerReflectionResponse.Parser.ParseFrom(response.ToByteString()),
            context.CancellationToken);
}
