using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Tracker.Api.V1Alpha1;
using Tracker.Server.Tests.Support;
using Tracker.Testing;

namespace Tracker.Server.Tests.Notifications;

/// <summary>
/// The whole host routing committed changes to channels and delivering them to a real webhook
/// receiver on 127.0.0.1 (README, "Notifications"): the routing rule, retries with backoff and
/// Retry-After, permanent refusals, a receiver that comes back, the private-address refusal, and
/// a channel disabled after failing for too long.
/// </summary>
public sealed class DeliveryTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Routing_FilterSubscribes_OnlyMatchingEventsAreDelivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var factory = Factory();
        var (events, channels) = Clients(factory);
        await channels.CreateChannelAsync(Webhook("checkout-feed", receiver.Url, filter: "service = \"checkout\"")).ResponseAsync.WaitAsync(Limit);

        var other = await CreateAsync(events, "other", "payments");
        var matching = await CreateAsync(events, "matching", "checkout");

        var delivered = await DeliveredAsync(channels, "checkout-feed", 1);
        Assert.Equal(matching.Id, delivered[0].EventId);
        Assert.DoesNotContain(receiver.Received, w => w.EventId == other.Id);
        Assert.Equal(matching.Id, Assert.Single(receiver.Received).EventId);
    }

    [Fact]
    public async Task Routing_NoFilter_TakesOnlyEventsThatNameTheChannelWithNotificationTrue()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var factory = Factory();
        var (events, channels) = Clients(factory);
        await channels.CreateChannelAsync(Webhook("oncall", receiver.Url)).ResponseAsync.WaitAsync(Limit);

        await CreateAsync(events, "not asked", "checkout", notification: false, "oncall");
        await CreateAsync(events, "asks another", "checkout", notification: true, "email");
        await CreateAsync(events, "asks nothing", "checkout");
        var asked = await CreateAsync(events, "asks oncall", "checkout", notification: true, "slack", "oncall");

        var delivered = await DeliveredAsync(channels, "oncall", 1);
        Assert.Equal(asked.Id, delivered[0].EventId);
        // Every change before it was routed already: had one gone to the channel, it would be here.
        Assert.Equal(asked.Id, Assert.Single(receiver.Received).EventId);
    }

    [Fact]
    public async Task Routing_ChangeTypes_TakesOnlyThoseTypes()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var factory = Factory();
        var (events, channels) = Clients(factory);
        var request = Webhook("deletions", receiver.Url, filter: "service = \"checkout\"");
        request.Channel.ChangeTypes.Add(ChangeType.Deleted);
        await channels.CreateChannelAsync(request).ResponseAsync.WaitAsync(Limit);

        var e = await CreateAsync(events, "short-lived", "checkout");
        await events.DeleteEventAsync(new DeleteEventRequest { Id = e.Id }).ResponseAsync.WaitAsync(Limit);

        var delivered = await DeliveredAsync(channels, "deletions", 1);
        Assert.Equal(ChangeType.Deleted, delivered[0].ChangeType);
        Assert.Single(receiver.Received);
    }

    [Fact]
    public async Task Dispatch_503Then200_RetriedAndDeliveredWithBothAttemptsLogged()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var firstSeen = new HashSet<string>();
        receiver.Answer = w =>
        {
            lock (firstSeen)
            {
                return firstSeen.Add(w.Id) ? new WebhookAnswer(503) : WebhookAnswer.NoContent;
            }
        };
        await using var factory = Factory();
        var (events, channels) = Clients(factory);
        await channels.CreateChannelAsync(Webhook("flaky", receiver.Url, filter: "service = \"checkout\"")).ResponseAsync.WaitAsync(Limit);

        await CreateAsync(events, "retried", "checkout");

        var delivery = (await DeliveredAsync(channels, "flaky", 1))[0];
        Assert.Equal([503, 204], delivery.Attempts.Select(a => a.StatusCode));
        Assert.Equal("HTTP 503", delivery.Attempts[0].Error);
        Assert.Equal(2, receiver.Received.Count);
        Assert.Single(receiver.Received.Select(w => w.Id).Distinct());
    }

    [Fact]
    public async Task Dispatch_429WithRetryAfter_NextAttemptWaitsForIt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var firstSeen = new HashSet<string>();
        receiver.Answer = w =>
        {
            lock (firstSeen)
            {
                return firstSeen.Add(w.Id) ? new WebhookAnswer(429, RetryAfter: "2") : WebhookAnswer.NoContent;
            }
        };
        await using var factory = Factory();
        var (events, channels) = Clients(factory);
        await channels.CreateChannelAsync(Webhook("throttled", receiver.Url, filter: "service = \"checkout\"")).ResponseAsync.WaitAsync(Limit);

        await CreateAsync(events, "throttled", "checkout");

        var attempts = (await DeliveredAsync(channels, "throttled", 1))[0].Attempts;
        Assert.Equal([429, 204], attempts.Select(a => a.StatusCode));
        // The schedule's own delay is 200 ms; the receiver asked for 2 s.
        Assert.True(attempts[1].AttemptTime.ToDateTimeOffset() - attempts[0].AttemptTime.ToDateTimeOffset() >= TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Dispatch_400_FailedAtOnceWithoutRetry()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = _ => new WebhookAnswer(400);
        await using var factory = Factory();
        var (events, channels) = Clients(factory);
        await channels.CreateChannelAsync(Webhook("refusing", receiver.Url, filter: "service = \"checkout\"")).ResponseAsync.WaitAsync(Limit);

        await CreateAsync(events, "refused", "checkout");

        var delivery = await SettledAsync(channels, "refusing", DeliveryState.Failed);
        Assert.Equal(400, Assert.Single(delivery.Attempts).StatusCode);
        Assert.Single(receiver.Received);
        var health = (await channels.GetChannelAsync(new GetChannelRequest { Name = "refusing" }).ResponseAsync.WaitAsync(Limit)).Health;
        Assert.NotNull(health.LastFailureTime);
        Assert.Equal("HTTP 400", health.LastError);
    }

    [Fact]
    public async Task Dispatch_ReceiverDownThenBack_DeliveredOnceItListens()
    {
        var port = FreePort();
        await using var factory = Factory();
        var (events, channels) = Clients(factory);
        await channels.CreateChannelAsync(Webhook("comes-back", new Uri($"http://127.0.0.1:{port}/hook"), filter: "service = \"checkout\"")).ResponseAsync.WaitAsync(Limit);

        var e = await CreateAsync(events, "waits", "checkout");
        // Two attempts fail against the closed port before the receiver starts.
        await WaitAsync(channels, "comes-back", d => d.Attempts.Count >= 2);
        await using var receiver = await WebhookReceiver.StartAsync(port);

        var delivery = await SettledAsync(channels, "comes-back", DeliveryState.Delivered);
        Assert.True(delivery.Attempts.Count >= 3);
        Assert.All(delivery.Attempts.SkipLast(1), a => Assert.Equal(0, a.StatusCode));
        Assert.Equal(e.Id, Assert.Single(receiver.Received).EventId);
    }

    [Fact]
    public async Task Dispatch_PrivateTargetNotAllowed_RefusedBeforeAnyByteIsSent()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var factory = Factory(allowPrivateTargets: false);
        var (events, channels) = Clients(factory);
        await channels.CreateChannelAsync(Webhook("loopback", receiver.Url, filter: "service = \"checkout\"")).ResponseAsync.WaitAsync(Limit);

        await CreateAsync(events, "never sent", "checkout");

        var delivery = await SettledAsync(channels, "loopback", DeliveryState.Failed);
        Assert.Contains("Notifications:AllowPrivateTargets", Assert.Single(delivery.Attempts).Error);
        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task Dispatch_FailingLongerThanDisableAfter_ChannelDisabledWithReason()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = _ => new WebhookAnswer(503);
        await using var factory = Factory(extra: new() { ["Notifications:DisableAfter"] = "00:00:01" });
        var (events, channels) = Clients(factory);
        await channels.CreateChannelAsync(Webhook("dying", receiver.Url, filter: "service = \"checkout\"")).ResponseAsync.WaitAsync(Limit);

        await CreateAsync(events, "keeps failing", "checkout");

        var deadline = DateTimeOffset.UtcNow + Limit;
        Channel channel;
        do
        {
            await Task.Delay(100);
            channel = await channels.GetChannelAsync(new GetChannelRequest { Name = "dying" }).ResponseAsync.WaitAsync(Limit);
        }
        while (!channel.Disabled && DateTimeOffset.UtcNow < deadline);

        Assert.True(channel.Disabled);
        Assert.Contains("Notifications:DisableAfter", channel.DisabledReason);

        // The warning is written just after the commit that a read may already see.
        static bool Warned(TrackerFactory f) => f.Logs.Entries.Any(l => l.Message.Contains("Channel dying was disabled", StringComparison.Ordinal));
        while (!Warned(factory) && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(Warned(factory));
    }

    private static TrackerFactory Factory(bool allowPrivateTargets = true, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Notifications:AllowPrivateTargets"] = allowPrivateTargets ? "true" : "false",
            ["Notifications:AllowHttp"] = "true",
            // Retries every 200 ms, thirty times, so that a test sees several attempts quickly.
            ["Notifications:RetryDelays:0"] = "00:00:00.2",
        };
        for (var i = 1; i < 30; i++)
        {
            settings[$"Notifications:RetryDelays:{i}"] = "00:00:00.2";
        }

        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return new TrackerFactory { Settings = settings };
    }

    private static (EventService.EventServiceClient Events, ChannelService.ChannelServiceClient Channels) Clients(TrackerFactory factory)
    {
        var channel = factory.CreateGrpcChannel();
        return (new EventService.EventServiceClient(channel), new ChannelService.ChannelServiceClient(channel));
    }

    private static CreateChannelRequest Webhook(string name, Uri url, string filter = "") =>
        new() { Channel = new Channel { Name = name, Kind = ChannelKind.Webhook, Url = url.ToString(), Filter = filter } };

    private static Task<Event> CreateAsync(EventService.EventServiceClient events, string title, string service, bool notification = false, params string[] notifications)
    {
        var attributes = new EventAttributes { Type = Tracker.Api.V1Alpha1.Type.Deployment, Service = service, Notification = notification };
        attributes.Notifications.AddRange(notifications);
        return events.CreateEventAsync(new CreateEventRequest { Title = title, Attributes = attributes }).ResponseAsync.WaitAsync(Limit);
    }

    /// <summary>Waits until the channel's log has <paramref name="count"/> delivered messages; returns them.</summary>
    private static async Task<IReadOnlyList<Delivery>> DeliveredAsync(ChannelService.ChannelServiceClient channels, string name, int count)
    {
        var deadline = DateTimeOffset.UtcNow + Limit;
        while (true)
        {
            var page = await channels.ListDeliveriesAsync(new ListDeliveriesRequest { Name = name, State = DeliveryState.Delivered }).ResponseAsync.WaitAsync(Limit);
            if (page.Deliveries.Count >= count || DateTimeOffset.UtcNow > deadline)
            {
                Assert.Equal(count, page.Deliveries.Count);
                return page.Deliveries;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Waits until the channel's only message is in <paramref name="state"/>; returns it.</summary>
    private static Task<Delivery> SettledAsync(ChannelService.ChannelServiceClient channels, string name, DeliveryState state) =>
        WaitAsync(channels, name, d => d.State == state);

    private static async Task<Delivery> WaitAsync(ChannelService.ChannelServiceClient channels, string name, Func<Delivery, bool> done)
    {
        var deadline = DateTimeOffset.UtcNow + Limit;
        while (true)
        {
            var page = await channels.ListDeliveriesAsync(new ListDeliveriesRequest { Name = name }).ResponseAsync.WaitAsync(Limit);
            if (page.Deliveries.Count == 1 && done(page.Deliveries[0]))
            {
                return page.Deliveries[0];
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Channel {name}'s message did not settle: {page}");
            }

            await Task.Delay(50);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
