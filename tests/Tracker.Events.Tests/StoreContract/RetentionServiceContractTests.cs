using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Retention;
using Tracker.Events.Storage;
using Tracker.Events.Tests.Support;
using Xunit;
using Type = Tracker.Api.V1Alpha1.Type;

namespace Tracker.Events.Tests.StoreContract;

/// <summary>
/// <see cref="RetentionService"/> over each store (README, "Retention"), as AddTrackerEvents registers it, its
/// clock and timer a FakeTimeProvider: as time is advanced, each type's events go when their last
/// change is older than their retention, batch by batch, counted on the "Tracker.Retention" meter
/// and logged once per run, and this process's watchers are woken. Derive once per store.
/// </summary>
public abstract class RetentionServiceContractTests
{
    private static readonly DateTimeOffset Start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A new, migrated, empty store, private to the calling test.</summary>
    protected abstract Task<IEventStore> CreateStoreAsync();

    [Fact]
    public async Task ExecuteAsync_TimeAdvances_EachTypeGoesWhenItsRetentionHasPassedCountedAndLogged()
    {
        var store = await CreateStoreAsync().Bounded();
        var time = new FakeTimeProvider(Start);
        var expiredAtStart = await RetentionEvents.CreateAsync(store, Type.Deployment, Start.AddDays(-10));
        var fresh = await RetentionEvents.CreateAsync(store, Type.Deployment, Start);
        var incident = await RetentionEvents.CreateAsync(store, Type.Incident, Start.AddDays(-10));
        await using var host = new RetentionHost(store, time, new()
        {
            ["Retention:Default"] = "7.00:00:00",
            ["Retention:Types:Incident"] = "30.00:00:00",
            ["Retention:Interval"] = "1.00:00:00",
        });

        await host.Service.StartAsync(CancellationToken.None).Bounded();
        await host.Deletions.WaitForMeasurementsAsync(1, TestTimeout.Default).Bounded();
        var atStart = await AllIdsAsync(store);

        // Eight days on, the fresh deployment is past the default's 7 days; the incident, 18 days
        // old, is within its own 30.
        time.Advance(TimeSpan.FromDays(8));
        await host.Deletions.WaitForMeasurementsAsync(2, TestTimeout.Default).Bounded();
        var afterEightDays = await AllIdsAsync(store);

        time.Advance(TimeSpan.FromDays(30));
        await host.Deletions.WaitForMeasurementsAsync(3, TestTimeout.Default).Bounded();
        var incidentLog = await host.WaitForLogAsync(4102, r => r.Message.Contains("(incident: 1)", StringComparison.Ordinal));

        Assert.Equal(Sorted(fresh.Id, incident.Id), atStart);
        Assert.Equal([incident.Id], afterEightDays);
        Assert.Empty(await AllIdsAsync(store));
        Assert.Null(await store.GetAsync(expiredAtStart.Id, CancellationToken.None).Bounded());
        Assert.Equal(
            ["deployment", "deployment", "incident"],
            host.Deletions.GetMeasurementSnapshot().Select(m => (string?)m.Tags[RetentionMetrics.TypeAttribute]));
        Assert.All(host.Deletions.GetMeasurementSnapshot(), m => Assert.Equal(1, m.Value));
        Assert.StartsWith("Retention deleted 1 events older than their retention (incident: 1) in ", incidentLog.Message, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Information, incidentLog.Level);
        var on = Assert.Single(host.RetentionLogs(4101));
        Assert.Contains("default 7 days, incident 30 days", on.Message, StringComparison.Ordinal);
        Assert.Empty(host.RetentionLogs(4103));
    }

    [Fact]
    public async Task DeleteExpiredAsync_MoreExpiredThanABatch_DeletesThemAllInOneRunBatchByBatchAndWakesWatchers()
    {
        var store = await CreateStoreAsync().Bounded();
        var time = new FakeTimeProvider(Start);
        for (var i = 0; i < 25; i++)
        {
            await RetentionEvents.CreateAsync(store, i < 5 ? Type.Incident : Type.RpaUsage, Start.AddDays(-40).AddMinutes(i));
        }

        var kept = await RetentionEvents.CreateAsync(store, Type.Incident, Start.AddDays(-1));
        await using var host = new RetentionHost(store, time, new()
        {
            ["Retention:Types:TYPE_INCIDENT"] = "30.00:00:00",
            ["Retention:Types:rpa_usage"] = "30.00:00:00",
            ["Retention:BatchSize"] = "10",
        });
        var woken = host.Signal.Next;

        var deleted = await host.Service.DeleteExpiredAsync(CancellationToken.None).Bounded();

        Assert.Equal(5, deleted[Type.Incident]);
        Assert.Equal(20, deleted[Type.RpaUsage]);
        Assert.Equal([kept.Id], await AllIdsAsync(store));
        Assert.True(woken.IsCompleted);

        // Three batches: 10 (the 5 incidents and 5 RPA runs, oldest first), 10, 5.
        Assert.Equal(
            ["incident 5", "rpa_usage 10", "rpa_usage 5", "rpa_usage 5"],
            host.Deletions.GetMeasurementSnapshot().Select(m => $"{m.Tags[RetentionMetrics.TypeAttribute]} {m.Value}").Order(StringComparer.Ordinal));
        var line = Assert.Single(host.RetentionLogs(4102));
        Assert.StartsWith("Retention deleted 25 events older than their retention (rpa_usage: 20, incident: 5) in ", line.Message, StringComparison.Ordinal);
    }

    private static async Task<string[]> AllIdsAsync(IEventStore store) =>
        Sorted([.. (await store.QueryAsync(new EventQuery(EventCriteria.All, EventOrder.NewestFirst, 1000), CancellationToken.None).Bounded()).Events.Select(e => e.Id)]);

    private static string[] Sorted(params string[] ids) => ids.Order(StringComparer.Ordinal).ToArray();
}
