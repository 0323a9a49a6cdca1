using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Notifications;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.Channels;

/// <summary>
/// The ChannelService on the PostgreSQL store, as on SQLite: a channel's whole life, the
/// delivery log's pages and redelivery. On the test server of TRACKER_TEST_POSTGRES (default
/// Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres), in a schema of its own.
/// </summary>
public sealed class PostgresChannelTests : IAsyncLifetime
{
    private readonly PostgresHost _host = new(new TrackerFactory());

    private WebApplicationFactory<Program> Factory => _host.Factory;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ChannelLifecycle_OnPostgres_AsOnSqlite()
    {
        var client = new ChannelService.ChannelServiceClient(GrpcChannel.ForAddress(Factory.Server.BaseAddress, new() { HttpHandler = Factory.Server.CreateHandler() }));
        var store = Factory.Services.GetRequiredService<INotificationStore>();
        var hook = TestChannels.Webhook();
        hook.Disabled = true;

        var created = await client.CreateChannelAsync(new CreateChannelRequest { Channel = hook }).Bounded();
        var duplicate = await Assert.ThrowsAsync<RpcException>(() => client.CreateChannelAsync(new CreateChannelRequest { Channel = hook }).Bounded());
        var read = await client.GetChannelAsync(new GetChannelRequest { Name = hook.Name }).Bounded();
        var listed = (await client.ListChannelsAsync(new ListChannelsRequest()).Bounded()).Channels;
        var updated = await client.UpdateChannelAsync(new UpdateChannelRequest { Channel = new Channel { Name = hook.Name, Etag = created.Etag, Filter = "severity>=ERROR" } }).Bounded();
        var stale = await Assert.ThrowsAsync<RpcException>(() => client.UpdateChannelAsync(new UpdateChannelRequest { Channel = new Channel { Name = hook.Name, Etag = created.Etag, Filter = "type=INCIDENT" } }).Bounded());

        Assert.StartsWith("whsec_", created.Secret, StringComparison.Ordinal);
        Assert.Equal(StatusCode.AlreadyExists, duplicate.StatusCode);
        Assert.Empty(read.Secret);
        Assert.Equal(TestChannels.WebhookUrlRedacted, read.Url);
        Assert.Equal([hook.Name], listed.Select(c => c.Name));
        Assert.Equal("severity>=ERROR", updated.Filter);
        Assert.Equal(StatusCode.Aborted, stale.StatusCode);

        var ids = await DeliveryLogs.RouteAsync(store, hook.Name, 3);
        var first = await client.ListDeliveriesAsync(new ListDeliveriesRequest { Name = hook.Name, PageSize = 2 }).Bounded();
        var second = await client.ListDeliveriesAsync(new ListDeliveriesRequest { Name = hook.Name, PageSize = 2, PageToken = first.NextPageToken }).Bounded();
        Assert.Equal(ids.Reverse(), first.Deliveries.Concat(second.Deliveries).Select(d => d.Id));
        Assert.Empty(second.NextPageToken);
        Assert.All(first.Deliveries, d => Assert.Equal(DeliveryState.Pending, d.State));
        Assert.Equal(3, (await client.GetChannelAsync(new GetChannelRequest { Name = hook.Name }).Bounded()).Health.PendingMessages);

        var oldest = second.Deliveries.Single().ChangeId;
        Assert.Equal(2, (await client.RedeliverAsync(new RedeliverRequest { Name = hook.Name, AfterChangeId = oldest }).Bounded()).RedeliveredCount);
        Assert.Equal(1, (await client.RedeliverAsync(new RedeliverRequest { Name = hook.Name, DeliveryId = ids[0] }).Bounded()).RedeliveredCount);

        await client.DeleteChannelAsync(new DeleteChannelRequest { Name = hook.Name, Etag = updated.Etag }).Bounded();
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => client.ListDeliveriesAsync(new ListDeliveriesRequest { Name = hook.Name }).Bounded())).StatusCode);
    }
}
