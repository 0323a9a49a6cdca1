using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Tracker.Api.V1Alpha1;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.Channels;

/// <summary>
/// A channel's credentials (the webhook secret, a URL's user info and query, a Slack URL's path)
/// reach the client once, in CreateChannel's response, and never a later response, a log line at
/// any level, or a trace: the host logs at Trace here, and every span is kept.
/// </summary>
public sealed class ChannelSecretTests : IAsyncLifetime
{
    private const string RotatedSecret = "whsec_ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM=";

    /// <summary>Every credential the test's channels carry; none may leave after create.</summary>
    private static readonly string[] Credentials =
    [
        TestChannels.KnownSecret, TestChannels.KnownSecret["whsec_".Length..], RotatedSecret["whsec_".Length..],
        "hunter2", "abc123", "XXXXXXXXXXXXXXXXXXXXXXXX", "/services/T000",
    ];

    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly TrackerFactory _factory;

    public ChannelSecretTests()
    {
        _factory = new TrackerFactory
        {
            Settings = { ["Logging:LogLevel:Default"] = "Trace" },
            TestServices = services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(new SpanKeeper(_spans))),
        };
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task ChannelLifecycle_KnownSecretAndCredentialUrls_OnlyInTheCreateResponses()
    {
        var client = _factory.CreateChannelClient();
        using var http = _factory.CreateClient();
        var hook = TestChannels.Webhook();
        hook.Secret = TestChannels.KnownSecret;
        var restHook = TestChannels.UniqueName("rest");
        var slack = TestChannels.Slack();

        // Created over gRPC and REST: the secret and full URL come back once.
        var created = await client.CreateChannelAsync(new CreateChannelRequest { Channel = hook }).Bounded();
        Assert.Equal(TestChannels.KnownSecret, created.Secret);
        var restCreated = await http.PostRestAsync("/api/v1alpha1/channels", $$"""{"name":"{{restHook}}","kind":"CHANNEL_KIND_WEBHOOK","url":"{{TestChannels.WebhookUrl}}","secret":"{{TestChannels.KnownSecret}}"}""");
        Assert.Contains(TestChannels.KnownSecret, restCreated.Expect(HttpStatusCode.OK).GetProperty("secret").GetString(), StringComparison.Ordinal);
        await client.CreateChannelAsync(new CreateChannelRequest { Channel = slack }).Bounded();
        var loopback = TestChannels.Webhook(url: "https://ci-bot:hunter2@127.0.0.1:9/tracker?token=abc123");
        loopback.Secret = TestChannels.KnownSecret;
        await client.CreateChannelAsync(new CreateChannelRequest { Channel = loopback }).Bounded();

        // Everything after create: reads, updates, a refused duplicate and refused secrets, deletes, a test message.
        var later = new List<string>
        {
            (await client.GetChannelAsync(new GetChannelRequest { Name = hook.Name }).Bounded()).ToString(),
            (await client.GetChannelAsync(new GetChannelRequest { Name = slack.Name }).Bounded()).ToString(),
            (await client.ListChannelsAsync(new ListChannelsRequest()).Bounded()).ToString(),
            (await http.GetRestAsync("/api/v1alpha1/channels")).Body,
            (await http.GetRestAsync($"/api/v1alpha1/channels/{restHook}")).Body,
            (await client.UpdateChannelAsync(new UpdateChannelRequest { Channel = new Channel { Name = hook.Name, Secret = RotatedSecret } }).Bounded()).ToString(),
            (await http.SendRestAsync(HttpMethod.Patch, $"/api/v1alpha1/channels/{restHook}", $$"""{"secret":"{{RotatedSecret}}","url":"{{TestChannels.WebhookUrl}}"}""")).Body,
            (await http.PostRestAsync("/api/v1alpha1/channels", $$"""{"name":"{{hook.Name}}","kind":"CHANNEL_KIND_WEBHOOK","url":"{{TestChannels.WebhookUrl}}","secret":"{{TestChannels.KnownSecret}}"}""")).Body,
            (await http.PostRestAsync("/api/v1alpha1/channels", $$"""{"name":"{{TestChannels.UniqueName()}}","kind":"CHANNEL_KIND_SLACK","url":"{{TestChannels.SlackUrl}}","secret":"{{TestChannels.KnownSecret}}"}""")).Body,
            (await http.PostRestAsync("/api/v1alpha1/channels", $$"""{"name":"{{TestChannels.UniqueName()}}","kind":"CHANNEL_KIND_WEBHOOK","url":"http://ci-bot:hunter2@hooks.example.com/?token=abc123","secret":"whsec_hunter2abc123"}""")).Body,
            (await http.PostRestAsync("/api/v1alpha1/channels", $$$"""{"name":"{{{TestChannels.UniqueName()}}}","kind":"CHANNEL_KIND_WEBHOOK","secret":{"hunter2": "abc123"}}""")).Body,
            (await http.SendRestAsync(HttpMethod.Patch, $"/api/v1alpha1/channels/{slack.Name}", """{"secret":"whsec_hunter2abc123"}""")).Body,
            (await http.DeleteRestAsync($"/api/v1alpha1/channels/{restHook}")).Body,

            // A test message the senders refuse (a loopback target), and the log that keeps it.
            (await client.SendTestMessageAsync(new SendTestMessageRequest { Name = loopback.Name }).Bounded()).ToString(),
            (await client.ListDeliveriesAsync(new ListDeliveriesRequest { Name = loopback.Name }).Bounded()).ToString(),
        };
        await client.DeleteChannelAsync(new DeleteChannelRequest { Name = slack.Name }).Bounded();
        await Assert.ThrowsAsync<RpcException>(() => client.CreateChannelAsync(new CreateChannelRequest { Channel = hook }).Bounded());

        foreach (var credential in Credentials)
        {
            Assert.All(later, body => Assert.DoesNotContain(credential, body, StringComparison.Ordinal));
            Assert.All(_factory.Logs.Entries, entry => Assert.DoesNotContain(credential, entry.ToString(), StringComparison.Ordinal));
            Assert.All(_spans, span => Assert.DoesNotContain(credential, Describe(span), StringComparison.Ordinal));
        }

        // The writes were audited, by channel name.
        Assert.Contains(_factory.Logs.Entries, e => e.Message == $"CreateChannel of channel {hook.Name} by anonymous: created.");
        Assert.Contains(_factory.Logs.Entries, e => e.Message == $"UpdateChannel of channel {hook.Name} by anonymous: updated.");
        Assert.Contains(_factory.Logs.Entries, e => e.Message == $"CreateChannel of channel {hook.Name} by anonymous: ALREADY_EXISTS.");
        Assert.NotEmpty(_spans);
    }

    private static string Describe(Activity span) =>
        string.Join(
            "\n",
            new[] { span.DisplayName, span.OperationName, span.StatusDescription ?? string.Empty }
                .Concat(span.TagObjects.Select(t => $"{t.Key}={t.Value}"))
                .Concat(span.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}:{t.Key}={t.Value}"))));

    private sealed class SpanKeeper(ConcurrentQueue<Activity> spans) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data) => spans.Enqueue(data);
    }
}
