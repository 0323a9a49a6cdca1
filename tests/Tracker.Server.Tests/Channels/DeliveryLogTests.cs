using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Notifications;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.Channels;

/// <summary>
/// ListDeliveries' paging (AIP-158): newest first, page_size 50 by default, page tokens opaque
/// and bound to the channel and the state filter, every message once across pages.
/// </summary>
public sealed class DeliveryLogTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly ChannelService.ChannelServiceClient _client = factory.CreateChannelClient();

    private INotificationStore Store => factory.Services.GetRequiredService<INotificationStore>();

    [Fact]
    public async Task ListDeliveries_ByPages_EveryMessageOnceNewestFirst()
    {
        var channel = await CreateAsync();
        var ids = await DeliveryLogs.AddTestMessagesAsync(Store, channel, 7);

        var seen = new List<string>();
        var token = string.Empty;
        var pages = 0;
        do
        {
            var page = await _client.ListDeliveriesAsync(new ListDeliveriesRequest { Name = channel, PageSize = 3, PageToken = token }).Bounded();
            Assert.True(page.Deliveries.Count <= 3);
            seen.AddRange(page.Deliveries.Select(d => d.Id));
            token = page.NextPageToken;
            pages++;
        }
        while (token.Length > 0);

        Assert.Equal(3, pages);
        Assert.Equal(ids.Reverse(), seen);
    }

    [Fact]
    public async Task ListDeliveries_NoPageSize_FiftyAndAToken()
    {
        var channel = await CreateAsync();
        await DeliveryLogs.AddTestMessagesAsync(Store, channel, 51);

        var page = await _client.ListDeliveriesAsync(new ListDeliveriesRequest { Name = channel }).Bounded();

        Assert.Equal(50, page.Deliveries.Count);
        Assert.NotEmpty(page.NextPageToken);
        var last = await _client.ListDeliveriesAsync(new ListDeliveriesRequest { Name = channel, PageToken = page.NextPageToken }).Bounded();
        Assert.Single(last.Deliveries);
        Assert.Empty(last.NextPageToken);
    }

    [Fact]
    public async Task ListDeliveries_PageSizeOverTheMaximum_Lowered()
    {
        var channel = await CreateAsync();
        await DeliveryLogs.AddTestMessagesAsync(Store, channel, 2);

        var page = await _client.ListDeliveriesAsync(new ListDeliveriesRequest { Name = channel, PageSize = 5000 }).Bounded();

        Assert.Equal(2, page.Deliveries.Count);
        Assert.Empty(page.NextPageToken);
    }

    [Fact]
    public async Task ListDeliveries_StateFilter_OnlyThatState()
    {
        var channel = await CreateAsync();
        await DeliveryLogs.AddTestMessagesAsync(Store, channel, 5);

        var failed = await _client.ListDeliveriesAsync(new ListDeliveriesRequest { Name = channel, State = DeliveryState.Failed }).Bounded();

        Assert.Equal(2, failed.Deliveries.Count);
        Assert.All(failed.Deliveries, d => Assert.Equal(DeliveryState.Failed, d.State));
        Assert.All(failed.Deliveries, d => Assert.Equal("HTTP 503", Assert.Single(d.Attempts).Error));
    }

    [Fact]
    public async Task ListDeliveries_Messages_CarryTheirAttempts()
    {
        var channel = await CreateAsync();
        await DeliveryLogs.AddTestMessagesAsync(Store, channel, 1);

        var delivery = Assert.Single((await _client.ListDeliveriesAsync(new ListDeliveriesRequest { Name = channel }).Bounded()).Deliveries);

        Assert.Equal(channel, delivery.Channel);
        Assert.True(delivery.Test);
        Assert.Equal(DeliveryState.Delivered, delivery.State);
        var attempt = Assert.Single(delivery.Attempts);
        Assert.Equal(200, attempt.StatusCode);
        Assert.Equal(TimeSpan.FromMilliseconds(12), attempt.Latency.ToTimeSpan());
    }

    [Fact]
    public async Task ListDeliveries_TokenOfAnotherChannel_InvalidArgument()
    {
        var first = await CreateAsync();
        var second = await CreateAsync();
        await DeliveryLogs.AddTestMessagesAsync(Store, first, 2);
        var token = (await _client.ListDeliveriesAsync(new ListDeliveriesRequest { Name = first, PageSize = 1 }).Bounded()).NextPageToken;

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.ListDeliveriesAsync(new ListDeliveriesRequest { Name = second, PageToken = token }).Bounded());

        Assert.Equal([("page_token", "belongs to another listing; send the same name and state as the page it came from")], TestChannels.Violations(error));
    }

    [Fact]
    public async Task ListDeliveries_TokenOfAnotherState_InvalidArgument()
    {
        var channel = await CreateAsync();
        await DeliveryLogs.AddTestMessagesAsync(Store, channel, 2);
        var token = (await _client.ListDeliveriesAsync(new ListDeliveriesRequest { Name = channel, PageSize = 1 }).Bounded()).NextPageToken;

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.ListDeliveriesAsync(new ListDeliveriesRequest { Name = channel, PageToken = token, State = DeliveryState.Failed }).Bounded());

        Assert.Equal([("page_token", "belongs to another listing; send the same name and state as the page it came from")], TestChannels.Violations(error));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("AwAAAAAAAAAAAQ")]
    [InlineData("!!!")]
    public async Task ListDeliveries_GarbageToken_InvalidArgument(string token)
    {
        var channel = await CreateAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.ListDeliveriesAsync(new ListDeliveriesRequest { Name = channel, PageToken = token }).Bounded());

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal([("page_token", "is not a page token from this service")], TestChannels.Violations(error));
    }

    [Fact]
    public async Task ListDeliveries_EditedToken_InvalidArgument()
    {
        var channel = await CreateAsync();
        await DeliveryLogs.AddTestMessagesAsync(Store, channel, 2);
        var token = (await _client.ListDeliveriesAsync(new ListDeliveriesRequest { Name = channel, PageSize = 1 }).Bounded()).NextPageToken;
        var edited = token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.ListDeliveriesAsync(new ListDeliveriesRequest { Name = channel, PageToken = edited }).Bounded());

        Assert.Equal([("page_token", "is not a page token from this service")], TestChannels.Violations(error));
    }

    [Fact]
    public async Task ListDeliveries_NegativePageSize_InvalidArgument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.ListDeliveriesAsync(new ListDeliveriesRequest { Name = "any-channel", PageSize = -1 }).Bounded());

        Assert.Equal([("page_size", "must not be negative")], TestChannels.Violations(error));
    }

    [Fact]
    public async Task ListDeliveries_UndefinedState_InvalidArgument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.ListDeliveriesAsync(new ListDeliveriesRequest { Name = "any-channel", State = (DeliveryState)9 }).Bounded());

        Assert.Equal([("state", "must be DELIVERY_STATE_PENDING, DELIVERY_STATE_DELIVERED, DELIVERY_STATE_FAILED or unspecified (all), not 9")], TestChannels.Violations(error));
    }

    private async Task<string> CreateAsync() =>
        (await _client.CreateChannelAsync(new CreateChannelRequest { Channel = TestChannels.Email() }).Bounded()).Name;
}
