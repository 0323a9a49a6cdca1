using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Notifications;
using Tracker.Notifications.Delivery;

namespace Tracker.Server.Tests.Support;

/// <summary>Fills a channel's delivery log through the real store's own writes (routing, test messages), as the router and SendTestMessage do.</summary>
public static class DeliveryLogs
{
    private static long _nextSequence = 1_000_000;

    /// <summary>
    /// Routes <paramref name="count"/> pending messages to <paramref name="channel"/>, one per
    /// change, at change positions no event uses; their ids, oldest first. The router's position
    /// is left where it was.
    /// </summary>
    public static async Task<string[]> RouteAsync(INotificationStore store, string channel, int count)
    {
        var now = DateTimeOffset.UtcNow;
        var messages = Enumerable.Range(0, count).Select(i =>
        {
            var sequence = Interlocked.Increment(ref _nextSequence);
            var payload = new WebhookPayload { ChangeType = ChangeType.Created, ChangeId = sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), Channel = channel, Event = new Event { Id = Guid.CreateVersion7().ToString(), Title = "Routed" } };
            return new NewMessage(MessageIds.Next(TimeProvider.System), channel, sequence, ChangeType.Created, payload.Event.Id, now, payload.ToByteArray(), now);
        }).ToList();
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var through = await store.GetRoutedThroughAsync(CancellationToken.None).Bounded();
            if (await store.RouteAsync(through, through, messages, CancellationToken.None).Bounded())
            {
                return messages.Select(m => m.Id).ToArray();
            }
        }

        throw new InvalidOperationException("The router's position kept moving.");
    }

    /// <summary>Adds <paramref name="count"/> finished test messages to <paramref name="channel"/>'s log, alternately delivered and failed; their ids, oldest first.</summary>
    public static async Task<string[]> AddTestMessagesAsync(INotificationStore store, string channel, int count)
    {
        var ids = new List<string>();
        var start = DateTimeOffset.UtcNow;
        for (var i = 0; i < count; i++)
        {
            var at = start.AddMilliseconds(i);
            var delivery = new Delivery
            {
                Id = MessageIds.Next(TimeProvider.System),
                Channel = channel,
                EventId = Guid.CreateVersion7(at).ToString(),
                ChangeType = ChangeType.Created,
                State = i % 2 == 0 ? DeliveryState.Delivered : DeliveryState.Failed,
                CreateTime = Timestamp.FromDateTimeOffset(at),
                Test = true,
                Attempts = { new DeliveryAttempt { AttemptTime = Timestamp.FromDateTimeOffset(at), StatusCode = i % 2 == 0 ? 200 : 503, Error = i % 2 == 0 ? string.Empty : "HTTP 503", Latency = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(12)) } },
            };
            await store.AddTestDeliveryAsync(delivery, CancellationToken.None).Bounded();
            ids.Add(delivery.Id);
        }

        return [.. ids];
    }
}
