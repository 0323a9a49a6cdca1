using Google.Protobuf.Reflection;
using Grpc.Core;
using Tracker.Api.V1Alpha1;

namespace Tracker.Events;

/// <summary>
/// Binds <see cref="EventRpcService"/> as the generated <c>EventService.BindService</c> does, with
/// three changes. The listing responses go out as the encoding <see cref="Paging.ListingResponses"/>
/// kept for them, their stored documents unparsed. A watch's messages are encoded once for all
/// the watchers they go to (<see cref="Watching.WatchMessages"/>). And a request message whose bytes are not the
/// protobuf encoding of its type (a bad
/// wire type, a field cut short, a string that is not UTF-8) answers INTERNAL, as grpc-go and
/// grpc-java do, instead of UNKNOWN "Exception was thrown by handler." with an Error log and a
/// stack trace. Grpc.AspNetCore decodes a request before any interceptor runs and takes every
/// exception but an RpcException for a fault of the service, so the request marshaller is the one
/// place that sees the failure.
/// <para>
/// <see cref="EventRpcService"/> names this class in its BindServiceMethod attribute. Grpc.AspNetCore,
/// JSON transcoding and server reflection all find a service's bind method through that attribute,
/// and its descriptor as the <see cref="Descriptor"/> property beside the bind method.
/// </para>
/// </summary>
public static class EventServiceBinding
{
    /// <summary>tracker.event.v1alpha1.EventService, where service discovery looks for it.</summary>
    public static ServiceDescriptor Descriptor => EventService.Descriptor;

    /// <summary>Adds each EventService method to <paramref name="binder"/> with a checked request marshaller.</summary>
    public static void BindService(ServiceBinderBase binder, EventService.EventServiceBase? service) =>
        EventService.BindService(new CheckedRequestBinder(binder), service);

    /// <summary>
    /// Passes every method on with its request marshaller checked, whatever its kind: EventService
    /// has seven unary methods and one server-streaming (WatchEvents), whose one request message is
    /// decoded through the same checked marshaller; the client- and duplex-streaming overloads are
    /// here for completeness, since ServiceBinderBase has one per kind.
    /// </summary>
    private sealed class CheckedRequestBinder(ServiceBinderBase inner) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(Checked(method), handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(Checked(method), handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(Checked(method), handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(Checked(method), handler);

        private static Method<TRequest, TResponse> Checked<TRequest, TResponse>(Method<TRequest, TResponse> method)
            where TRequest : class
            where TResponse : class
        {
            var typeName = EventService.Descriptor.FindMethodByName(method.Name).InputType.FullName;
            var requests = CheckedRequestMarshaller.Of(method.RequestMarshaller, typeName);
            return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, requests, Responses(method.ResponseMarshaller));
        }

        /// <summary>
        /// Sends a listing response as the encoding <see cref="Paging.ListingResponses"/> kept for it
        /// (its stored documents as they are); every other response as the generated code encodes it.
        /// </summary>
        private static Marshaller<TResponse> Responses<TResponse>(Marshaller<TResponse> generated)
            where TResponse : class
        {
            if (typeof(TResponse) == typeof(WatchEventsResponse))
            {
                // A change's message is shared by its watchers: encoded once, sent to each.
                return Marshallers.Create<TResponse>(
                    (response, context) => context.Complete(Watching.WatchMessages.Encoding((WatchEventsResponse)(object)response)),
                    generated.ContextualDeserializer);
            }

            if (typeof(TResponse) != typeof(ListEventsResponse) && typeof(TResponse) != typeof(SearchEventsResponse) && typeof(TResponse) != typeof(TodayEventsResponse))
            {
                return generated;
            }

            var serialize = generated.ContextualSerializer;
            return Marshallers.Create<TResponse>(
                (response, context) =>
                {
                    if (Paging.ListingResponses.TryTakeEncoded(response, out var encoded))
                    {
                        context.Complete(encoded);
                    }
                    else
                    {
                        serialize(response, context);
                    }
                },
                generated.ContextualDeserializer);
        }
    }
}
