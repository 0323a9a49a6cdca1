using System.Net;
using System.Net.Sockets;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging.Abstractions;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Notifications;
using Tracker.Events.Storage;
using Xunit;

namespace Tracker.Events.Postgres.Tests;

/// <summary>A store whose server is not there fails every call as unavailable, never otherwise.</summary>
public sealed class PostgresFaultTests : IAsyncDisposable
{
    private readonly Npgsql.NpgsqlDataSource _dataSource =
        PostgresConnectionFactory.Create($"Host=127.0.0.1;Port={ClosedPort()};Username=postgres;Database=postgres");

    private PostgresEventStore Store => new(_dataSource, NullLogger<PostgresEventStore>.Instance);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    [Fact]
    public async Task IsReachableAsync_ClosedPort_ReturnsFalse()
    {
        Assert.False(await Store.IsReachableAsync(CancellationToken.None).WaitAsync(TestPostgres.Timeout));
    }

    [Fact]
    public async Task EveryCall_ClosedPort_ThrowsStoreUnavailable()
    {
        var store = Store;
        var e = TestEvents.New();
        var query = new EventQuery(EventCriteria.All, EventOrder.NewestFirst, Limit: 10);

        await AssertUnavailableAsync(() => store.MigrateAsync(CancellationToken.None));
        await AssertUnavailableAsync(() => store.CreateAsync(e, "request-1", CancellationToken.None));
        await AssertUnavailableAsync(() => store.GetAsync(e.Id, CancellationToken.None));
        await AssertUnavailableAsync(() => store.ReplaceAsync(e, e.Etag, CancellationToken.None));
        await AssertUnavailableAsync(() => store.DeleteAsync(e.Id, null, CancellationToken.None));
        await AssertUnavailableAsync(() => store.QueryAsync(query, CancellationToken.None));
    }

    [Fact]
    public async Task EveryNotificationStoreCall_ClosedPort_ThrowsStoreUnavailable()
    {
        var store = PostgresNotificationDatabase.CreateStore(_dataSource, Store, NullLogger<PostgresEventStore>.Instance);
        var now = DateTimeOffset.UtcNow;
        var channel = new Channel { Name = "ops", Kind = ChannelKind.Webhook, Url = "https://hooks.example.com", Etag = "e1" };
        var attempt = new DeliveryAttempt { AttemptTime = Timestamp.FromDateTimeOffset(now) };

        await AssertUnavailableAsync(() => store.MigrateAsync(CancellationToken.None));
        await AssertUnavailableAsync(() => store.CreateChannelAsync(channel, CancellationToken.None));
        await AssertUnavailableAsync(() => store.GetChannelAsync("ops", CancellationToken.None));
        await AssertUnavailableAsync(() => store.ListChannelsAsync(CancellationToken.None));
        await AssertUnavailableAsync(() => store.ReplaceChannelAsync(channel, "e0", CancellationToken.None));
        await AssertUnavailableAsync(() => store.DeleteChannelAsync("ops", null, CancellationToken.None));
        await AssertUnavailableAsync(() => store.GetHealthAsync(["ops"], now, CancellationToken.None));
        await AssertUnavailableAsync(() => store.GetRoutedThroughAsync(CancellationToken.None));
        await AssertUnavailableAsync(() => store.RouteAsync(0, 1, [], CancellationToken.None));
        await AssertUnavailableAsync(() => store.LeaseDueAsync("a", now, TimeSpan.FromMinutes(1), 10, CancellationToken.None));
        await AssertUnavailableAsync(() => store.CompleteAsync("a", [new AttemptOutcome("msg_1", "ops", attempt, DeliveryState.Delivered, null)], CancellationToken.None));
        await AssertUnavailableAsync(() => store.NextDueAsync(CancellationToken.None));
        await AssertUnavailableAsync(() => store.DisableFailingAsync("ops", now, "failing", now, CancellationToken.None));
        await AssertUnavailableAsync(() => store.ListDeliveriesAsync("ops", DeliveryState.Unspecified, null, 10, CancellationToken.None));
        await AssertUnavailableAsync(() => store.RedeliverAsync("ops", "msg_1", null, now, CancellationToken.None));
        await AssertUnavailableAsync(() => store.AddTestDeliveryAsync(new Delivery { Id = "msg_1", Channel = "ops", Test = true }, CancellationToken.None));
    }

    [Fact]
    public async Task GetAsync_CancelledByCaller_ThrowsOperationCanceled()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Store.GetAsync("x", cancelled.Token).WaitAsync(TestPostgres.Timeout));
    }

    private static async Task AssertUnavailableAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => call().WaitAsync(TestPostgres.Timeout));
        Assert.NotNull(error.InnerException);
    }

    // A port nothing listens on: bound by the system, then released.
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
