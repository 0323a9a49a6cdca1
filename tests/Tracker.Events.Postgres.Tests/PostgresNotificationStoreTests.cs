using System.Collections.Concurrent;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Notifications;
using Tracker.Events.Tests.StoreContract;
using Xunit;
using static Tracker.Events.Tests.StoreContract.NotificationStoreContractTests;

namespace Tracker.Events.Postgres.Tests;

/// <summary>The notification store contract against a real PostgreSQL, a schema per test.</summary>
public sealed class PostgresNotificationStoreContractTests : NotificationStoreContractTests, IAsyncLifetime
{
    private readonly List<TestSchema> _schemas = [];

    protected override async Task<INotificationStore> CreateStoreAsync()
    {
        var schema = await TestPostgres.CreateSchemaAsync();
        _schemas.Add(schema);
        var store = schema.CreateNotificationStore();
        await store.MigrateAsync(CancellationToken.None).WaitAsync(TestPostgres.Timeout);
        return store;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var schema in _schemas)
        {
            await schema.DisposeAsync();
        }
    }
}

/// <summary>
/// What replicas sharing one PostgreSQL need of the notification store: each replica a store
/// with its own pool on the same schema, racing for real.
/// </summary>
public sealed class PostgresNotificationStoreReplicaTests : IAsyncLifetime
{
    private TestSchema _schema = null!;

    public async Task InitializeAsync() => _schema = await TestPostgres.CreateSchemaAsync();

    public Task DisposeAsync() => _schema.DisposeAsync().AsTask();

    [Fact]
    public async Task LeaseDueAsync_TwoReplicasLeasingAtOnce_NeverLeaseTheSameMessage()
    {
        var (first, second) = await TwoReplicasAsync();
        await CreateChannelAsync(first, "ops");
        await CreateChannelAsync(first, "dev");
        const int Count = 400;
        Assert.True(await first.RouteAsync(0, Count, [.. Enumerable.Range(1, Count).Select(i => Message(i % 2 == 0 ? "ops" : "dev", i))], CancellationToken.None).WaitAsync(TestPostgres.Timeout));

        var leasedBy = new ConcurrentDictionary<string, string>();
        var duplicates = new ConcurrentBag<string>();
        async Task LeaseUntilNoneLeftAsync(INotificationStore store, string owner)
        {
            while (true)
            {
                var leased = await store.LeaseDueAsync(owner, Now, TimeSpan.FromHours(1), 7, CancellationToken.None);
                if (leased.Count == 0)
                {
                    return;
                }

                foreach (var message in leased)
                {
                    if (!leasedBy.TryAdd(message.Delivery.Id, owner))
                    {
                        duplicates.Add(message.Delivery.Id);
                    }
                }
            }
        }

        await Task.WhenAll(
            Task.Run(() => LeaseUntilNoneLeftAsync(first, "replica-1")),
            Task.Run(() => LeaseUntilNoneLeftAsync(second, "replica-2"))).WaitAsync(TestPostgres.Timeout);

        Assert.Empty(duplicates);
        Assert.Equal(Count, leasedBy.Count);
    }

    [Fact]
    public async Task RouteAsync_TwoRoutersRacing_RouteEachChangeOnce()
    {
        var (first, second) = await TwoReplicasAsync();
        await CreateChannelAsync(first, "ops");
        const int Changes = 60;
        var routedIds = new ConcurrentDictionary<long, string>();

        // Each router reads the position and routes the next change; a router that lost the
        // race gets false and reads the position again.
        async Task RouteUntilDoneAsync(INotificationStore store)
        {
            while (true)
            {
                var from = await store.GetRoutedThroughAsync(CancellationToken.None);
                if (from >= Changes)
                {
                    return;
                }

                var message = Message("ops", from + 1);
                if (await store.RouteAsync(from, from + 1, [message], CancellationToken.None))
                {
                    Assert.True(routedIds.TryAdd(from + 1, message.Id), $"change {from + 1} was routed twice");
                }
            }
        }

        await Task.WhenAll(
            Task.Run(() => RouteUntilDoneAsync(first)),
            Task.Run(() => RouteUntilDoneAsync(second))).WaitAsync(TestPostgres.Timeout);

        var stored = await first.ListDeliveriesAsync("ops", DeliveryState.Unspecified, null, 1000, CancellationToken.None).WaitAsync(TestPostgres.Timeout);
        Assert.Equal(Changes, routedIds.Count);
        Assert.Equal(
            routedIds.OrderByDescending(r => r.Key).Select(r => $"{r.Key} {r.Value}"),
            stored.Select(d => $"{d.ChangeId} {d.Id}"));
    }

    [Fact]
    public async Task MigrateAsync_SchemaWithEventsUpgraded_RouterStartsAtTheLastChangeSoHistoryIsNotNotified()
    {
        var events = _schema.CreateStore();
        await events.MigrateAsync(CancellationToken.None).WaitAsync(TestPostgres.Timeout);
        for (var i = 0; i < 3; i++)
        {
            await events.CreateAsync(TestEvents.New(), null, CancellationToken.None).WaitAsync(TestPostgres.Timeout);
        }

        // The schema as a release without notifications left it.
        await TestPostgres.ExecuteAsync($"""
            DROP TABLE {_schema.Name}.deliveries, {_schema.Name}.notification_router, {_schema.Name}.channels;
            DELETE FROM {_schema.Name}.schema_migrations WHERE version = 7
            """);

        var store = _schema.CreateNotificationStore();
        await store.MigrateAsync(CancellationToken.None).WaitAsync(TestPostgres.Timeout);

        var last = (await events.GetChangeLogBoundsAsync(CancellationToken.None).WaitAsync(TestPostgres.Timeout)).Last;
        Assert.Equal(last, await store.GetRoutedThroughAsync(CancellationToken.None).WaitAsync(TestPostgres.Timeout));
        Assert.True(last >= 3);
    }

    /// <summary>One replica's store: a pool of its own on the test's schema.</summary>
    private async Task<INotificationStore> CreateStoreAsync()
    {
        var store = _schema.CreateNotificationStore();
        await store.MigrateAsync(CancellationToken.None).WaitAsync(TestPostgres.Timeout);
        return store;
    }

    private async Task<(INotificationStore First, INotificationStore Second)> TwoReplicasAsync()
    {
        var first = await CreateStoreAsync();
        var second = await CreateStoreAsync();
        return (first, second);
    }
}
