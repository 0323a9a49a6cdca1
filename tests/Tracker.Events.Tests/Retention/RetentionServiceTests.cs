using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Retention;
using Tracker.Events.Sqlite;
using Tracker.Events.Storage;
using Tracker.Events.Tests.Support;
using Xunit;
using Type = Tracker.Api.V1Alpha1.Type;

namespace Tracker.Events.Tests.Retention;

/// <summary>
/// What <see cref="RetentionService"/> does whatever the store (README, "Retention"): nothing but one log line
/// when no retention is set, and a store outage logged at Warning and retried at the next
/// interval without ending the service. (Its deletions over each store: RetentionServiceContractTests.)
/// </summary>
public sealed class RetentionServiceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempSqliteDatabase _database = new();
    private SqliteEventStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteEventStore(_database.ConnectionString);
        await _store.MigrateAsync(CancellationToken.None).Bounded();
    }

    public Task DisposeAsync()
    {
        _store.Dispose();
        _database.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ExecuteAsync_NoRetentionConfigured_LogsThatItIsOffOnceAndDeletesNothing()
    {
        var ancient = await RetentionEvents.CreateAsync(_store, Type.Deployment, Start.AddYears(-20));
        var time = new FakeTimeProvider(Start);
        await using var host = new RetentionHost(_store, time, []);

        await host.Service.StartAsync(CancellationToken.None).Bounded();
        await host.Service.ExecuteTask!.Bounded();
        time.Advance(TimeSpan.FromDays(400));
        var deleted = await host.Service.DeleteExpiredAsync(CancellationToken.None).Bounded();

        var off = Assert.Single(host.RetentionLogs(4100));
        Assert.Equal(LogLevel.Information, off.Level);
        Assert.Empty(host.RetentionLogs(4101));
        Assert.Empty(deleted);
        Assert.Empty(host.Deletions.GetMeasurementSnapshot());
        Assert.Equal(ancient, await _store.GetAsync(ancient.Id, CancellationToken.None).Bounded());
    }

    [Fact]
    public async Task ExecuteAsync_StoreUnavailable_LogsAWarningKeepsRunningAndDeletesAtTheNextInterval()
    {
        var expired = await RetentionEvents.CreateAsync(_store, Type.Deployment, Start.AddDays(-100));
        var store = new OutageStore(_store);
        var time = new FakeTimeProvider(Start);
        await using var host = new RetentionHost(store, time, new() { ["Retention:Default"] = "30.00:00:00" });

        await host.Service.StartAsync(CancellationToken.None).Bounded();
        var warning = await host.WaitForLogAsync(4103);
        var stillThere = await _store.GetAsync(expired.Id, CancellationToken.None).Bounded();
        store.Down = false;
        time.Advance(TimeSpan.FromMinutes(1));
        await host.Deletions.WaitForMeasurementsAsync(1, TestTimeout.Default).Bounded();

        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.IsType<StoreUnavailableException>(warning.Exception);
        Assert.Equal("Retention could not reach the event store; it tries again in 00:01:00.", warning.Message);
        Assert.NotNull(stillThere);
        Assert.False(host.Service.ExecuteTask!.IsCompleted);
        Assert.Null(await _store.GetAsync(expired.Id, CancellationToken.None).Bounded());
    }

    /// <summary>A real store whose retention call fails as an unreachable database does while <see cref="Down"/>.</summary>
    private sealed class OutageStore(IEventStore inner) : DelegatingEventStore(inner)
    {
        public bool Down { get; set; } = true;

        public override Task<IReadOnlyDictionary<Type, int>> DeleteExpiredAsync(IReadOnlyList<ExpiryCutoff> cutoffs, int limit, CancellationToken cancellationToken) =>
            Down
                ? Task.FromException<IReadOnlyDictionary<Type, int>>(new StoreUnavailableException("The database is down."))
                : base.DeleteExpiredAsync(cutoffs, limit, cancellationToken);
    }
}
