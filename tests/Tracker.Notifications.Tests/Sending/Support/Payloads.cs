using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;
using Tracker.Notifications.Sending;
using ApiChannel = Tracker.Api.V1Alpha1.Channel;

namespace Tracker.Notifications.Tests.Sending.Support;

/// <summary>Example channels and messages.</summary>
public static class Payloads
{
    public static WebhookPayload Deployment(string title = "Deploy checkout 1.2", string channel = "ops") => new()
    {
        ChangeType = ChangeType.Created,
        ChangeId = "42",
        ChangeTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero)),
        Channel = channel,
        Event = new Event
        {
            Id = "0193a5b0-0000-7000-8000-000000000001",
            Title = title,
            Attributes = new EventAttributes
            {
                Type = Api.V1Alpha1.Type.Deployment,
                Status = Status.Success,
                Service = "checkout",
                Environment = Api.V1Alpha1.Environment.Production,
                Priority = Priority.P2,
                Owner = "team-payments",
                Message = "Rolled out 1.2 & <friends>",
                Notification = true,
                Notifications = { "ops" },
            },
            Links = new EventLinks { PullRequestLink = "https://git.example.com/shop/pull/7?tab=files&x=1", Ticket = "SHOP-456" },
        },
    };

    public static ApiChannel Webhook(string url, string? secret = null) => new()
    {
        Name = "ops",
        Kind = ChannelKind.Webhook,
        Url = url,
        Secret = secret ?? ChannelTargets.GenerateSecret(),
    };

    public static ApiChannel Slack(string url) => new() { Name = "ops", Kind = ChannelKind.Slack, Url = url };

    public static ApiChannel Email(params string[] to)
    {
        var channel = new ApiChannel { Name = "ops", Kind = ChannelKind.Email };
        channel.EmailTo.Add(to);
        return channel;
    }
}
