using Google.Protobuf.Reflection;
using Grpc.Core;
using Tracker.Api.V1Alpha1;
using Tracker.Events;

namespace Tracker.Notifications.ChannelApi;

/// <summary>
/// Binds <see cref="ChannelRpcService"/> as the generated <c>ChannelService.BindService</c> does,
/// with each request marshaller checked (<see cref="CheckedRequestMarshaller"/>): a request whose
/// bytes are not the protobuf encoding of its type answers INTERNAL, as the EventService's do.
/// Grpc.AspNetCore, JSON transcoding and server reflection find this class through the
/// service's BindServiceMethod attribute, and the descriptor as <see cref="Descriptor"/> beside it.
/// </summary>
public static class ChannelServiceBinding
{
    /// <summary>tracker.event.v1alpha1.ChannelService, where service discovery looks for it.</summary>
    public static ServiceDescriptor Descriptor => ChannelService.Descriptor;

    /// <summary>Adds each ChannelService method (all unary) to <paramref name="binder"/> with a checked request marshaller.</summary>
    public static void BindService(ServiceBinderBase binder, ChannelService.ChannelServiceBase? service) =>
        ChannelService.BindService(new CheckedRequestBinder(binder), service);

    private sealed class CheckedRequestBinder(ServiceBinderBase inner) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        {
            var typeName = ChannelService.Descriptor.FindMethodByName(method.Name).InputType.FullName;
            var requests = CheckedRequestMarshaller.Of(method.RequestMarshaller, typeName);
            inner.AddMethod(new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, requests, method.ResponseMarshaller), handler);
        }
    }
}
