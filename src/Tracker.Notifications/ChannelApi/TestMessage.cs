using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;
using EventEnvironment = Tracker.Api.V1Alpha1.Environment;
using EventType = Tracker.Api.V1Alpha1.Type;

namespace Tracker.Notifications.ChannelApi;

/// <summary>
/// The message SendTestMessage sends: a <see cref="WebhookPayload"/> with <c>test</c> set and an
/// example event, never stored, whose fields fill what every kind of message shows (title,
/// type, status, service, environment).
/// </summary>
internal static class TestMessage
{
    public const string Title = "Test message from Tracker";

    /// <summary>The payload for <paramref name="channel"/> at <paramref name="now"/>; the example event's id is <paramref name="eventId"/>.</summary>
    public static WebhookPayload For(string channel, string eventId, DateTimeOffset now)
    {
        var time = Timestamp.FromDateTimeOffset(now);
        return new WebhookPayload
        {
            ChangeType = ChangeType.Created,
            ChangeId = string.Empty,
            ChangeTime = time,
            Channel = channel,
            Test = true,
            Event = new Event
            {
                Id = eventId,
                Title = Title,
                Attributes = new EventAttributes
                {
                    Message = $"A test of the notification channel '{channel}'. Nothing happened; no event was stored.",
                    Source = "tracker",
                    Type = EventType.Deployment,
                    Status = Status.Success,
                    Service = "tracker",
                    Environment = EventEnvironment.Production,
                    Priority = Priority.P5,
                },
                CreatedAt = time,
                UpdatedAt = time,
                FirstSeenAt = time,
                LastSeenAt = time,
                Count = 1,
            },
        };
    }
}
