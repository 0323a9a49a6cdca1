using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Pipeline;
using Tracker.Notifications.Delivery;
using Tracker.Notifications.Sending;
// The namespace Tracker.Notifications.Delivery hides the API type of the same name.
using DeliveryMessage = Tracker.Api.V1Alpha1.Delivery;

namespace Tracker.Notifications.ChannelApi;

public sealed partial class ChannelRpcService
{
    // SendTestMessage: sends the channel one test message now, once, through the sender of its
    // kind, keeps it in the delivery log with `test` set, and returns it with its attempt
    // (DELIVERED or FAILED). FAILED_PRECONDITION when this server has no sender of that kind.
    public override async Task<DeliveryMessage> SendTestMessage(SendTestMessageRequest request, ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        ThrowIfInvalidName(request.Name);
        var channel = await _store.GetChannelAsync(request.Name, cancellationToken).ConfigureAwait(false)
            ?? throw ChannelErrors.NotFound(request.Name);
        var sender = _senders.FirstOrDefault(s => s.Kind == channel.Kind) ?? throw ChannelErrors.NoSender(channel.Kind);

        var now = _clock.Now();
        var deliveryId = MessageIds.Next(_time);
        var payload = TestMessage.For(channel.Name, Guid.CreateVersion7(now).ToString(), now);
        var result = await sender.SendAsync(channel, deliveryId, payload, cancellationToken).ConfigureAwait(false);
        var delivery = new DeliveryMessage
        {
            Id = deliveryId,
            Channel = channel.Name,
            ChangeId = string.Empty,
            ChangeType = payload.ChangeType,
            EventId = payload.Event.Id,
            State = result.Outcome == SendOutcome.Delivered ? DeliveryState.Delivered : DeliveryState.Failed,
            Attempts =
            {
                new DeliveryAttempt
                {
                    AttemptTime = Timestamp.FromDateTimeOffset(now),
                    StatusCode = result.StatusCode,
                    Error = result.Error ?? string.Empty,
                    Latency = Duration.FromTimeSpan(result.Latency),
                },
            },
            CreateTime = Timestamp.FromDateTimeOffset(now),
            Test = true,
        };
        await _store.AddTestDeliveryAsync(delivery, cancellationToken).ConfigureAwait(false);
        WriteAudit.Done(context, channel.Name, delivery.State == DeliveryState.Delivered ? "test delivered" : "test failed");
        return delivery;
    }
}
