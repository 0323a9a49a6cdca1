using Google.Protobuf;
using Grpc.Core;

namespace Tracker.Events;

/// <summary>
/// A request marshaller that answers a message whose bytes are not the protobuf encoding of its
/// type (a bad wire type, a field cut short, a string that is not UTF-8) with INTERNAL, as grpc-go
/// and grpc-java do, instead of UNKNOWN "Exception was thrown by handler." with an Error log and a
/// stack trace. Grpc.AspNetCore decodes a request before any interceptor runs, so the marshaller
/// is the one place that sees the failure. Used by every service's binding
/// (<see cref="EventServiceBinding"/>, ChannelServiceBinding).
/// </summary>
internal static class CheckedRequestMarshaller
{
    /// <summary><paramref name="generated"/>, with its decoding failures answered INTERNAL naming <paramref name="typeName"/> (the proto's full name).</summary>
    public static Marshaller<TRequest> Of<TRequest>(Marshaller<TRequest> generated, string typeName)
    {
        var deserialize = generated.ContextualDeserializer;
        return Marshallers.Create(
            generated.ContextualSerializer,
            context =>
            {
                try
                {
                    return deserialize(context);
                }
                catch (InvalidProtocolBufferException)
                {
                    // Its message says only how the bytes are wrong; the client is told what matters.
                    throw EventErrors.UndecodableRequest(typeName);
                }
            });
    }
}
