using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;
using Xunit;

namespace Tracker.Events.Postgres.Tests;

/// <summary>
/// A store that lives through a PostgreSQL outage works again once the server is back, without
/// being recreated: the same store object and pool before, during and after.
/// </summary>
public sealed class PostgresRecoveryTests(RecoveryCluster cluster) : IClassFixture<RecoveryCluster>, IAsyncLifetime
{
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(30);

    private NpgsqlDataSource _dataSource = null!;
    private PostgresEventStore _store = null!;

    public async Task InitializeAsync()
    {
        // Running again if an earlier test failed while it was halted (a no-op otherwise).
        Assert.Equal(cluster.ConnectionString, await cluster.StartAsync());

        // Each test its own schema, so the two tests share the server but not the data.
        var schema = "r_" + Guid.NewGuid().ToString("N")[..12];
        _dataSource = PostgresConnectionFactory.Create(TestPostgres.WithSearchPath(cluster.ConnectionString, schema));
        _store = new PostgresEventStore(_dataSource, NullLogger<PostgresEventStore>.Instance);
        await _store.MigrateAsync(CancellationToken.None).WaitAsync(TestPostgres.Timeout);
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync().AsTask().WaitAsync(TestPostgres.Timeout);

    [Fact]
    public async Task Store_ServerStoppedThenStarted_FailsFastThenRecoversByItself()
    {
        var before = await CreateAsync();
        await WarmPoolAsync();

        await cluster.HaltAsync();

        Assert.False(await _store.IsReachableAsync(CancellationToken.None).WaitAsync(TestPostgres.Timeout));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => _store.GetAsync(before.Id, CancellationToken.None).WaitAsync(TestPostgres.Timeout));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => _store.CreateAsync(TestEvents.New(), null, CancellationToken.None).WaitAsync(TestPostgres.Timeout));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => _store.QueryAsync(AllNewestFirst(), CancellationToken.None).WaitAsync(TestPostgres.Timeout));

        Assert.Equal(cluster.ConnectionString, await cluster.StartAsync());
        await WaitUntilReachableAsync();

        Assert.Equal(before, await _store.GetAsync(before.Id, CancellationToken.None).WaitAsync(TestPostgres.Timeout));
        var after = await CreateAsync();
        var page = await _store.QueryAsync(AllNewestFirst(), CancellationToken.None).WaitAsync(TestPostgres.Timeout);
        Assert.Equal([after.Id, before.Id], page.Events.Select(e => e.Id));
        Assert.Equal(2, page.TotalCount);
    }

    [Fact]
    public async Task Store_ServerRestartedWhileIdle_NextCallsSucceed()
    {
        // Pooled connections died with the old server; no call saw the outage.
        var before = await CreateAsync();
        await WarmPoolAsync();

        await cluster.HaltAsync();
        Assert.Equal(cluster.ConnectionString, await cluster.StartAsync());

        Assert.Equal(before, await _store.GetAsync(before.Id, CancellationToken.None).WaitAsync(TestPostgres.Timeout));
        var page = await _store.QueryAsync(AllNewestFirst(), CancellationToken.None).WaitAsync(TestPostgres.Timeout);
        Assert.Equal(1, page.TotalCount);
        await CreateAsync();
        Assert.True(await _store.IsReachableAsync(CancellationToken.None).WaitAsync(TestPostgres.Timeout));
    }

    private async Task<Event> CreateAsync() =>
        await _store.CreateAsync(TestEvents.New(), null, CancellationToken.None).WaitAsync(TestPostgres.Timeout);

    // Several connections at once, so the pool holds more than one idle connection.
    private Task WarmPoolAsync() =>
        Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _store.QueryAsync(AllNewestFirst(), CancellationToken.None))).WaitAsync(TestPostgres.Timeout);

    private async Task WaitUntilReachableAsync()
    {
        using var bound = new CancellationTokenSource(RecoveryBound);
        while (!await _store.IsReachableAsync(bound.Token).WaitAsync(TestPostgres.Timeout))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), bound.Token);
        }
    }

    private static EventQuery AllNewestFirst() => new(EventCriteria.All, EventOrder.NewestFirst, Limit: 50);
}
