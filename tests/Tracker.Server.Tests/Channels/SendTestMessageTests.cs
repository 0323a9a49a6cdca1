using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tracker.Api.V1Alpha1;
using Tracker.Notifications.Sending;
using Tracker.Server.Tests.Support;
using Tracker.Testing;

namespace Tracker.Server.Tests.Channels;

/// <summary>
/// SendTestMessage against a real receiver (Kestrel on 127.0.0.1, so the host allows private
/// targets and http, as Notifications:AllowPrivateTargets and :AllowHttp say): one message, sent
/// once through the webhook sender, signed, kept in the delivery log with `test` set, and
/// returned with its attempt.
/// </summary>
public sealed class SendTestMessageTests : IAsyncLifetime
{
    private readonly TrackerFactory _factory = new()
    {
        Settings = { ["Notifications:AllowPrivateTargets"] = "true", ["Notifications:AllowHttp"] = "true" },
    };

    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task SendTestMessage_ReceiverUp_DeliveredOnceSignedAndLogged()
    {
        var client = _factory.CreateChannelClient();
        var channel = await CreateAsync(client);

        var delivery = await client.SendTestMessageAsync(new SendTestMessageRequest { Name = channel }).Bounded();

        Assert.Equal(DeliveryState.Delivered, delivery.State);
        Assert.True(delivery.Test);
        Assert.Equal(channel, delivery.Channel);
        Assert.Empty(delivery.ChangeId);
        Assert.StartsWith("msg_", delivery.Id, StringComparison.Ordinal);
        var attempt = Assert.Single(delivery.Attempts);
        Assert.Equal(204, attempt.StatusCode);
        Assert.Empty(attempt.Error);
        var received = Assert.Single(_receiver.Received);
        Assert.Equal(delivery.Id, received.Id);
        Assert.Contains($"v1,{Sign(received)}", received.Signature.Split(' '));
        using var body = JsonDocument.Parse(received.Body);
        Assert.True(body.RootElement.GetProperty("test").GetBoolean());
        Assert.Equal(channel, body.RootElement.GetProperty("channel").GetString());
        var example = body.RootElement.GetProperty("event");
        Assert.Equal("Test message from Tracker", example.GetProperty("title").GetString());
        Assert.Equal(delivery.EventId, example.GetProperty("id").GetString());
        Assert.Equal("TYPE_DEPLOYMENT", example.GetProperty("attributes").GetProperty("type").GetString());
        Assert.Equal("tracker", example.GetProperty("attributes").GetProperty("service").GetString());
        Assert.Equal("ENVIRONMENT_PRODUCTION", example.GetProperty("attributes").GetProperty("environment").GetString());
        var logged = Assert.Single((await client.ListDeliveriesAsync(new ListDeliveriesRequest { Name = channel }).Bounded()).Deliveries);
        Assert.Equal(delivery, logged);
    }

    [Fact]
    public async Task SendTestMessage_Receiver503_FailedOnceWithoutRetry()
    {
        _receiver.Answer = _ => new WebhookAnswer(503);
        var client = _factory.CreateChannelClient();
        var channel = await CreateAsync(client);

        var delivery = await client.SendTestMessageAsync(new SendTestMessageRequest { Name = channel }).Bounded();

        Assert.Equal(DeliveryState.Failed, delivery.State);
        var attempt = Assert.Single(delivery.Attempts);
        Assert.Equal(503, attempt.StatusCode);
        Assert.NotEmpty(attempt.Error);
        Assert.Single(_receiver.Received);
        Assert.Equal(DeliveryState.Failed, Assert.Single((await client.ListDeliveriesAsync(new ListDeliveriesRequest { Name = channel }).Bounded()).Deliveries).State);
    }

    [Fact]
    public async Task PostTest_OverRest_TheDeliveryAsJson()
    {
        var channel = await CreateAsync(_factory.CreateChannelClient());
        using var http = _factory.CreateClient();

        var json = (await http.PostRestAsync($"/api/v1alpha1/channels/{channel}:test", "{}")).Expect(HttpStatusCode.OK);

        Assert.Equal("DELIVERY_STATE_DELIVERED", json.GetProperty("state").GetString());
        Assert.True(json.GetProperty("test").GetBoolean());
        Assert.Equal(204, json.GetProperty("attempts")[0].GetProperty("statusCode").GetInt32());
        Assert.Single(_receiver.Received);
    }

    [Fact]
    public async Task SendTestMessage_NoSenderOfTheKind_FailedPrecondition()
    {
        await using var withoutSenders = new TrackerFactory { TestServices = services => services.RemoveAll<IMessageSender>() };
        var client = withoutSenders.CreateChannelClient();
        var channel = (await client.CreateChannelAsync(new CreateChannelRequest { Channel = TestChannels.Email() }).Bounded()).Name;

        var error = await Assert.ThrowsAsync<RpcException>(() => client.SendTestMessageAsync(new SendTestMessageRequest { Name = channel }).Bounded());

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal("This server has no sender for CHANNEL_KIND_EMAIL channels, so it cannot send them a test message.", error.Status.Detail);
        Assert.Empty((await client.ListDeliveriesAsync(new ListDeliveriesRequest { Name = channel }).Bounded()).Deliveries);
    }

    private async Task<string> CreateAsync(ChannelService.ChannelServiceClient client)
    {
        var channel = TestChannels.Webhook(url: _receiver.Url.ToString());
        channel.Secret = TestChannels.KnownSecret;
        return (await client.CreateChannelAsync(new CreateChannelRequest { Channel = channel }).Bounded()).Name;
    }

    /// <summary>Standard Webhooks' signature, computed here independently of the sender: base64(HMAC-SHA256(key, "id.timestamp.body")).</summary>
    private static string Sign(ReceivedWebhook received)
    {
        var key = Convert.FromBase64String(TestChannels.KnownSecret["whsec_".Length..]);
        return Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{received.Id}.{received.Timestamp}.{received.Body}")));
    }
}
