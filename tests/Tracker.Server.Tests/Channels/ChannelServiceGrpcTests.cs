using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Notifications;
using Tracker.Notifications.Delivery;
using Tracker.Server.Tests.Support;
using StatusCode = Grpc.Core.StatusCode;

namespace Tracker.Server.Tests.Channels;

/// <summary>
/// Every ChannelService RPC over gRPC: create (the secret returned once), get and list (no
/// secret, the URL redacted, health filled), update (mask, set fields, etag, immutable kind,
/// secret rotation), delete, the delivery log, redelivery and its wakeup of the dispatcher.
/// </summary>
public sealed class ChannelServiceGrpcTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly ChannelService.ChannelServiceClient _client = factory.CreateChannelClient();

    private INotificationStore Store => factory.Services.GetRequiredService<INotificationStore>();

    [Fact]
    public async Task CreateChannel_WebhookWithoutSecret_ReturnsAGeneratedSecretOnce()
    {
        var created = await _client.CreateChannelAsync(new CreateChannelRequest { Channel = TestChannels.Webhook() }).Bounded();

        Assert.StartsWith("whsec_", created.Secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(created.Secret["whsec_".Length..]).Length);
        Assert.Equal(TestChannels.WebhookUrl, created.Url);
        Assert.NotEmpty(created.Etag);
        Assert.NotNull(created.CreateTime);
        Assert.Equal(created.CreateTime, created.UpdateTime);
        Assert.Equal(0, created.Health.PendingMessages);
        var read = await _client.GetChannelAsync(new GetChannelRequest { Name = created.Name }).Bounded();
        Assert.Empty(read.Secret);
        Assert.Equal(created.Secret, (await Store.GetChannelAsync(created.Name, CancellationToken.None).Bounded())!.Secret);
    }

    [Fact]
    public async Task CreateChannel_WebhookWithSecret_KeepsThatSecret()
    {
        var channel = TestChannels.Webhook();
        channel.Secret = TestChannels.KnownSecret;

        var created = await _client.CreateChannelAsync(new CreateChannelRequest { Channel = channel }).Bounded();

        Assert.Equal(TestChannels.KnownSecret, created.Secret);
    }

    [Fact]
    public async Task CreateChannel_SlackAndEmail_HaveNoSecret()
    {
        var slack = await _client.CreateChannelAsync(new CreateChannelRequest { Channel = TestChannels.Slack() }).Bounded();
        var email = await _client.CreateChannelAsync(new CreateChannelRequest { Channel = TestChannels.Email() }).Bounded();

        Assert.Empty(slack.Secret);
        Assert.Empty(email.Secret);
        Assert.Equal(["oncall@example.com", "platform@example.com"], email.EmailTo);
    }

    [Fact]
    public async Task CreateChannel_OutputOnlyFields_Ignored()
    {
        var channel = TestChannels.Email();
        channel.Etag = "mine";
        channel.DisabledReason = "set by the client";
        channel.CreateTime = Timestamp.FromDateTime(new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        channel.Health = new ChannelHealth { PendingMessages = 7 };

        var created = await _client.CreateChannelAsync(new CreateChannelRequest { Channel = channel }).Bounded();

        Assert.NotEqual("mine", created.Etag);
        Assert.Empty(created.DisabledReason);
        Assert.True(created.CreateTime.ToDateTime().Year > 2001);
        Assert.Equal(0, created.Health.PendingMessages);
    }

    [Fact]
    public async Task CreateChannel_TakenName_AlreadyExists()
    {
        var channel = TestChannels.Email();
        await _client.CreateChannelAsync(new CreateChannelRequest { Channel = channel }).Bounded();

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.CreateChannelAsync(new CreateChannelRequest { Channel = TestChannels.Webhook(channel.Name) }).Bounded());

        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        Assert.Equal($"Channel '{channel.Name}' already exists.", error.Status.Detail);
        Assert.Equal(channel.Name, error.GetRpcStatus()!.GetDetail<ResourceInfo>()!.ResourceName);
    }

    [Fact]
    public async Task GetChannel_Webhook_NoSecretUrlRedactedHealthFilled()
    {
        var created = await CreateAsync(TestChannels.Webhook());

        var read = await _client.GetChannelAsync(new GetChannelRequest { Name = created.Name }).Bounded();

        Assert.Empty(read.Secret);
        Assert.Equal(TestChannels.WebhookUrlRedacted, read.Url);
        Assert.NotNull(read.Health);
        Assert.Equal(created.Etag, read.Etag);
        Assert.Equal(created.Kind, read.Kind);
    }

    [Fact]
    public async Task GetChannel_Slack_UrlIsSchemeAndHostOnly()
    {
        var created = await CreateAsync(TestChannels.Slack());

        var read = await _client.GetChannelAsync(new GetChannelRequest { Name = created.Name }).Bounded();

        Assert.Equal("https://hooks.slack.com/\u2026", read.Url);
    }

    [Fact]
    public async Task GetChannel_Unknown_NotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.GetChannelAsync(new GetChannelRequest { Name = "no-such-channel" }).Bounded());

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("Channel 'no-such-channel' was not found.", error.Status.Detail);
    }

    [Fact]
    public async Task GetChannel_InvalidName_InvalidArgumentOnName()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.GetChannelAsync(new GetChannelRequest { Name = "Ops" }).Bounded());

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal([("name", "must be lowercase letters, digits, '-', '_' and '.', starting with a letter or digit")], TestChannels.Violations(error));
    }

    [Fact]
    public async Task ListChannels_Created_ListedByNameWithoutSecrets()
    {
        var b = await CreateAsync(TestChannels.Webhook(TestChannels.UniqueName("b")));
        var a = await CreateAsync(TestChannels.Slack(TestChannels.UniqueName("a")));

        var listed = (await _client.ListChannelsAsync(new ListChannelsRequest()).Bounded()).Channels;

        var names = listed.Select(c => c.Name).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Contains(a.Name, names);
        Assert.Contains(b.Name, names);
        Assert.All(listed, c => Assert.Empty(c.Secret));
        Assert.All(listed, c => Assert.NotNull(c.Health));
        Assert.Equal(TestChannels.WebhookUrlRedacted, listed.Single(c => c.Name == b.Name).Url);
    }

    [Fact]
    public async Task UpdateChannel_Mask_ChangesOnlyThoseFields()
    {
        var created = await CreateAsync(TestChannels.Webhook());
        var request = new UpdateChannelRequest
        {
            Channel = new Channel { Name = created.Name, Filter = "severity>=ERROR", Disabled = true, Url = "https://elsewhere.example.com/x" },
            UpdateMask = new FieldMask { Paths = { "filter", "disabled" } },
        };

        var updated = await _client.UpdateChannelAsync(request).Bounded();

        Assert.Equal("severity>=ERROR", updated.Filter);
        Assert.True(updated.Disabled);
        Assert.Equal(TestChannels.WebhookUrlRedacted, updated.Url);
        Assert.NotEqual(created.Etag, updated.Etag);
        Assert.Equal(created.CreateTime, updated.CreateTime);
        Assert.True(updated.UpdateTime.ToDateTime() >= created.UpdateTime.ToDateTime());
        Assert.Empty(updated.Secret);
    }

    [Fact]
    public async Task UpdateChannel_MaskWithEmptyValues_ClearsFilterAndEnables()
    {
        var channel = TestChannels.Email();
        channel.Filter = "environment=PRODUCTION";
        channel.Disabled = true;
        channel.ChangeTypes.Add(ChangeType.Created);
        var created = await CreateAsync(channel);

        var updated = await _client.UpdateChannelAsync(new UpdateChannelRequest
        {
            Channel = new Channel { Name = created.Name },
            UpdateMask = new FieldMask { Paths = { "filter", "disabled", "change_types" } },
        }).Bounded();

        Assert.Empty(updated.Filter);
        Assert.False(updated.Disabled);
        Assert.Empty(updated.ChangeTypes);
    }

    [Fact]
    public async Task UpdateChannel_NoMask_ChangesTheFieldsSet()
    {
        var channel = TestChannels.Email();
        channel.Filter = "environment=PRODUCTION";
        var created = await CreateAsync(channel);

        var updated = await _client.UpdateChannelAsync(new UpdateChannelRequest
        {
            Channel = new Channel { Name = created.Name, ChangeTypes = { ChangeType.Created, ChangeType.Deleted } },
        }).Bounded();

        Assert.Equal([ChangeType.Created, ChangeType.Deleted], updated.ChangeTypes);
        Assert.Equal("environment=PRODUCTION", updated.Filter);
        Assert.Equal(created.EmailTo, updated.EmailTo);
    }

    [Fact]
    public async Task UpdateChannel_Enabling_ClearsDisabledReason()
    {
        var created = await CreateAsync(TestChannels.Email());
        var stored = (await Store.GetChannelAsync(created.Name, CancellationToken.None).Bounded())!;
        var disabled = stored.Clone();
        disabled.Disabled = true;
        disabled.DisabledReason = "failed without a success for 5 days";
        disabled.Etag = "disabled-by-tracker";
        Assert.True(await Store.ReplaceChannelAsync(disabled, stored.Etag, CancellationToken.None).Bounded());
        Assert.Equal("failed without a success for 5 days", (await _client.GetChannelAsync(new GetChannelRequest { Name = created.Name }).Bounded()).DisabledReason);

        var updated = await _client.UpdateChannelAsync(new UpdateChannelRequest
        {
            Channel = new Channel { Name = created.Name, Disabled = false },
            UpdateMask = new FieldMask { Paths = { "disabled" } },
        }).Bounded();

        Assert.False(updated.Disabled);
        Assert.Empty(updated.DisabledReason);
    }

    [Fact]
    public async Task UpdateChannel_CurrentEtag_Updates()
    {
        var created = await CreateAsync(TestChannels.Email());

        var updated = await _client.UpdateChannelAsync(new UpdateChannelRequest
        {
            Channel = new Channel { Name = created.Name, Etag = created.Etag, EmailTo = { "sre@example.com" } },
        }).Bounded();

        Assert.Equal(["sre@example.com"], updated.EmailTo);
    }

    [Fact]
    public async Task UpdateChannel_StaleEtag_Aborted()
    {
        var created = await CreateAsync(TestChannels.Email());
        await _client.UpdateChannelAsync(new UpdateChannelRequest { Channel = new Channel { Name = created.Name, Filter = "severity>=WARNING" } }).Bounded();

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.UpdateChannelAsync(new UpdateChannelRequest
        {
            Channel = new Channel { Name = created.Name, Etag = created.Etag, Filter = "severity>=ERROR" },
        }).Bounded());

        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.Equal($"Channel '{created.Name}' has changed since the given etag was read; get it again and retry.", error.Status.Detail);
        Assert.Equal("ETAG_MISMATCH", error.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason);
    }

    [Fact]
    public async Task UpdateChannel_OtherKind_InvalidArgument()
    {
        var created = await CreateAsync(TestChannels.Webhook());

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.UpdateChannelAsync(new UpdateChannelRequest
        {
            Channel = new Channel { Name = created.Name, Kind = ChannelKind.Slack },
        }).Bounded());

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("Invalid channel: channel.kind cannot change (it is CHANNEL_KIND_WEBHOOK): delete the channel and create it again", error.Status.Detail);
    }

    [Fact]
    public async Task UpdateChannel_SameKindAndName_Accepted()
    {
        var created = await CreateAsync(TestChannels.Webhook());

        var updated = await _client.UpdateChannelAsync(new UpdateChannelRequest
        {
            Channel = new Channel { Name = created.Name, Kind = ChannelKind.Webhook, Filter = "type=DEPLOYMENT" },
            UpdateMask = new FieldMask { Paths = { "name", "kind", "filter" } },
        }).Bounded();

        Assert.Equal("type=DEPLOYMENT", updated.Filter);
    }

    [Fact]
    public async Task UpdateChannel_UnknownMaskPath_InvalidArgument()
    {
        var created = await CreateAsync(TestChannels.Webhook());

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.UpdateChannelAsync(new UpdateChannelRequest
        {
            Channel = new Channel { Name = created.Name },
            UpdateMask = new FieldMask { Paths = { "colour", "etag", "health.lag" } },
        }).Bounded());

        Assert.Equal([("update_mask", "names no updatable field of a channel: \"colour\"")], TestChannels.Violations(error));
    }

    [Fact]
    public async Task UpdateChannel_NewSecret_StoredAndNeverReturned()
    {
        var created = await CreateAsync(TestChannels.Webhook());

        var updated = await _client.UpdateChannelAsync(new UpdateChannelRequest
        {
            Channel = new Channel { Name = created.Name, Secret = TestChannels.KnownSecret },
        }).Bounded();

        Assert.Empty(updated.Secret);
        Assert.Equal(TestChannels.KnownSecret, (await Store.GetChannelAsync(created.Name, CancellationToken.None).Bounded())!.Secret);
    }

    [Fact]
    public async Task UpdateChannel_EmptySecretInMask_InvalidArgument()
    {
        var created = await CreateAsync(TestChannels.Webhook());

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.UpdateChannelAsync(new UpdateChannelRequest
        {
            Channel = new Channel { Name = created.Name },
            UpdateMask = new FieldMask { Paths = { "secret" } },
        }).Bounded());

        Assert.Equal([("channel.secret", "must be the new secret to rotate it; an empty secret is not one")], TestChannels.Violations(error));
    }

    [Fact]
    public async Task UpdateChannel_RedactedUrlSentBack_KeepsTheStoredUrl()
    {
        var created = await CreateAsync(TestChannels.Slack());
        var read = await _client.GetChannelAsync(new GetChannelRequest { Name = created.Name }).Bounded();

        read.Filter = "severity>=ERROR";
        await _client.UpdateChannelAsync(new UpdateChannelRequest { Channel = read }).Bounded();

        var stored = (await Store.GetChannelAsync(created.Name, CancellationToken.None).Bounded())!;
        Assert.Equal(TestChannels.SlackUrl, stored.Url);
        Assert.Equal("severity>=ERROR", stored.Filter);
    }

    [Fact]
    public async Task UpdateChannel_Unknown_NotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.UpdateChannelAsync(new UpdateChannelRequest
        {
            Channel = new Channel { Name = "no-such-channel", Disabled = true },
        }).Bounded());

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task UpdateChannel_MergedChannelInvalid_InvalidArgumentOnTheField()
    {
        var created = await CreateAsync(TestChannels.Email());

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.UpdateChannelAsync(new UpdateChannelRequest
        {
            Channel = new Channel { Name = created.Name, Url = "https://hooks.example.com/x" },
        }).Bounded());

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("channel.url", Assert.Single(TestChannels.Violations(error)).Field);
    }

    [Fact]
    public async Task DeleteChannel_Existing_GoneAfterwards()
    {
        var created = await CreateAsync(TestChannels.Email());

        await _client.DeleteChannelAsync(new DeleteChannelRequest { Name = created.Name }).Bounded();

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.GetChannelAsync(new GetChannelRequest { Name = created.Name }).Bounded());
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task DeleteChannel_Unknown_NotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.DeleteChannelAsync(new DeleteChannelRequest { Name = "no-such-channel" }).Bounded());

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task DeleteChannel_StaleEtag_AbortedAndKept()
    {
        var created = await CreateAsync(TestChannels.Email());
        await _client.UpdateChannelAsync(new UpdateChannelRequest { Channel = new Channel { Name = created.Name, Disabled = true } }).Bounded();

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.DeleteChannelAsync(new DeleteChannelRequest { Name = created.Name, Etag = created.Etag }).Bounded());

        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.Equal(created.Name, (await _client.GetChannelAsync(new GetChannelRequest { Name = created.Name }).Bounded()).Name);
    }

    [Fact]
    public async Task DeleteChannel_CurrentEtag_Deletes()
    {
        var created = await CreateAsync(TestChannels.Email());

        await _client.DeleteChannelAsync(new DeleteChannelRequest { Name = created.Name, Etag = created.Etag }).Bounded();

        Assert.Null(await Store.GetChannelAsync(created.Name, CancellationToken.None).Bounded());
    }

    [Fact]
    public async Task ListDeliveries_UnknownChannel_NotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.ListDeliveriesAsync(new ListDeliveriesRequest { Name = "no-such-channel" }).Bounded());

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task Redeliver_OneDelivery_BackToPendingAndTheDispatcherWoken()
    {
        var channel = await CreateDisabledAsync();
        var ids = await RouteAsync(channel, 3);
        var wakeup = factory.Services.GetRequiredService<DeliveryWakeup>().Next;

        var response = await _client.RedeliverAsync(new RedeliverRequest { Name = channel, DeliveryId = ids[1] }).Bounded();

        Assert.Equal(1, response.RedeliveredCount);
        await wakeup.Bounded();
    }

    [Fact]
    public async Task Redeliver_AfterChangeId_EveryLaterMessage()
    {
        var channel = await CreateDisabledAsync();
        var ids = await RouteAsync(channel, 3);
        var listed = (await _client.ListDeliveriesAsync(new ListDeliveriesRequest { Name = channel }).Bounded()).Deliveries;
        var first = listed.Single(d => d.Id == ids[0]).ChangeId;

        var response = await _client.RedeliverAsync(new RedeliverRequest { Name = channel, AfterChangeId = first }).Bounded();

        Assert.Equal(2, response.RedeliveredCount);
    }

    [Fact]
    public async Task Redeliver_UnknownDelivery_NotFound()
    {
        var channel = await CreateDisabledAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.RedeliverAsync(new RedeliverRequest { Name = channel, DeliveryId = "msg_unknown" }).Bounded());

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal($"Delivery 'msg_unknown' was not found in the log of channel '{channel}'.", error.Status.Detail);
    }

    [Fact]
    public async Task Redeliver_UnknownChannel_NotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.RedeliverAsync(new RedeliverRequest { Name = "no-such-channel", AfterChangeId = "0" }).Bounded());

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("Channel 'no-such-channel' was not found.", error.Status.Detail);
    }

    [Theory]
    [InlineData("", "", "delivery_id", "is required, or after_change_id: one message's id, or the change_id after which every message is sent again")]
    [InlineData("msg_1", "12", "delivery_id", "cannot be combined with after_change_id: send one message's id, or the change_id after which every message is sent again")]
    [InlineData("", "12a", "after_change_id", "must be a change_id: the decimal position that WatchEvents and the delivery log give, such as \"1042\"")]
    [InlineData("", "-1", "after_change_id", "must be a change_id: the decimal position that WatchEvents and the delivery log give, such as \"1042\"")]
    [InlineData("", "99999999999999999999", "after_change_id", "must be a change_id: the decimal position that WatchEvents and the delivery log give, such as \"1042\"")]
    public async Task Redeliver_BadTarget_InvalidArgument(string deliveryId, string afterChangeId, string field, string description)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.RedeliverAsync(new RedeliverRequest { Name = "any-channel", DeliveryId = deliveryId, AfterChangeId = afterChangeId }).Bounded());

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal([(field, description)], TestChannels.Violations(error));
    }

    [Fact]
    public async Task SendTestMessage_UnknownChannel_NotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.SendTestMessageAsync(new SendTestMessageRequest { Name = "no-such-channel" }).Bounded());

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    private async Task<Channel> CreateAsync(Channel channel) =>
        await _client.CreateChannelAsync(new CreateChannelRequest { Channel = channel }).Bounded();

    /// <summary>A disabled channel: the dispatcher leaves its messages alone, so they stay as a test puts them.</summary>
    private async Task<string> CreateDisabledAsync()
    {
        var channel = TestChannels.Webhook();
        channel.Disabled = true;
        return (await CreateAsync(channel)).Name;
    }

    /// <summary>Puts <paramref name="count"/> messages in the channel's log through the store's routing, one per change; their ids, oldest first.</summary>
    private Task<string[]> RouteAsync(string channel, int count) => DeliveryLogs.RouteAsync(Store, channel, count);
}
