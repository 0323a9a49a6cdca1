using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Telemetry;

namespace Tracker.Events.Tests.Telemetry;

/// <summary>
/// The lag, delivery and pending instruments of <see cref="DeliveryMetrics"/>, read with
/// MetricCollector from a meter factory of the test's own, on a fake clock.
/// </summary>
public sealed class DeliveryMetricsTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _provider = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeTimeProvider _time = new(Now);

    private IMeterFactory Meters => _provider.GetRequiredService<IMeterFactory>();

    public void Dispose() => _provider.Dispose();

    [Fact]
    public void WatchMessagesWritten_TwoMessages_EachRecordedAsSecondsSinceItsCommitWithTheStore()
    {
        var metrics = new DeliveryMetrics(Meters, _time, StoreTelemetry.Postgresql);
        using var lag = new MetricCollector<double>(Meters, EventMetrics.MeterName, DeliveryMetrics.WatchLagName);

        metrics.WatchMessagesWritten([Now.AddMilliseconds(-20), Now.AddSeconds(-1.5)]);

        var measured = lag.GetMeasurementSnapshot();
        Assert.Equal([0.02, 1.5], measured.Select(m => Math.Round(m.Value, 6)));
        Assert.All(measured, m => Assert.Equal("postgresql", m.Tags["db.system.name"]));
    }

    [Fact]
    public void WatchMessagesWritten_CommitTimeAheadOfTheServerClock_RecordedAsZero()
    {
        var metrics = new DeliveryMetrics(Meters, _time, StoreTelemetry.Sqlite);
        using var lag = new MetricCollector<double>(Meters, EventMetrics.MeterName, DeliveryMetrics.WatchLagName);

        metrics.WatchMessagesWritten([Now.AddMilliseconds(3)]);

        Assert.Equal(0, lag.LastMeasurement?.Value);
    }

    [Fact]
    public void WatchMessagesWritten_StoreUnknown_NoStoreAttribute()
    {
        var metrics = new DeliveryMetrics(Meters, _time, storeSystem: null);
        using var lag = new MetricCollector<double>(Meters, EventMetrics.MeterName, DeliveryMetrics.WatchLagName);

        metrics.WatchMessagesWritten([Now]);

        Assert.Empty(Assert.Single(lag.GetMeasurementSnapshot()).Tags);
    }

    [Fact]
    public void WatchLag_Published_AdvisesBucketsFrom1MsTo10SWithStepsAround50Ms()
    {
        Histogram<double>? published = null;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, Meters) && instrument.Name == DeliveryMetrics.WatchLagName)
                {
                    published = instrument as Histogram<double>;
                }
            },
        };
        listener.Start();

        _ = new DeliveryMetrics(Meters, _time, StoreTelemetry.Sqlite);

        var buckets = published?.Advice?.HistogramBucketBoundaries;
        Assert.NotNull(buckets);
        Assert.Equal(0.001, buckets[0]);
        Assert.Contains(10, buckets);
        Assert.Contains(0.04, buckets);
        Assert.Contains(0.05, buckets);
        Assert.Contains(0.075, buckets);
    }

    [Fact]
    public void RecordFirstAttemptLag_Webhook_SecondsFromCommitToTheAttemptTaggedWithKindAndStore()
    {
        var metrics = new DeliveryMetrics(Meters, _time, StoreTelemetry.Sqlite);
        using var lag = new MetricCollector<double>(Meters, DeliveryMetrics.NotificationsMeterName, DeliveryMetrics.AttemptLagName);

        metrics.RecordFirstAttemptLag(ChannelKind.Webhook, Now, Now.AddMilliseconds(120));

        var measured = Assert.Single(lag.GetMeasurementSnapshot());
        Assert.Equal(0.12, measured.Value, 6);
        Assert.Equal("webhook", measured.Tags["tracker.channel.kind"]);
        Assert.Equal("sqlite", measured.Tags["db.system.name"]);
    }

    [Fact]
    public void RecordAttempt_EachOutcome_CountedAndTimedByKindAndOutcome()
    {
        var metrics = new DeliveryMetrics(Meters, _time, StoreTelemetry.Sqlite);
        using var deliveries = new MetricCollector<long>(Meters, DeliveryMetrics.NotificationsMeterName, DeliveryMetrics.DeliveriesName);
        using var durations = new MetricCollector<double>(Meters, DeliveryMetrics.NotificationsMeterName, DeliveryMetrics.DeliveryDurationName);

        metrics.RecordAttempt(ChannelKind.Slack, DeliveryOutcome.Delivered, TimeSpan.FromMilliseconds(40));
        metrics.RecordAttempt(ChannelKind.Email, DeliveryOutcome.Retry, TimeSpan.FromSeconds(10));
        metrics.RecordAttempt(ChannelKind.Webhook, DeliveryOutcome.Failed, TimeSpan.FromMilliseconds(5));

        Assert.Equal(
            ["slack delivered 1", "email retry 1", "webhook failed 1"],
            deliveries.GetMeasurementSnapshot().Select(m => $"{m.Tags["tracker.channel.kind"]} {m.Tags["tracker.delivery.outcome"]} {m.Value}"));
        Assert.Equal(
            ["slack delivered 0.04", "email retry 10", "webhook failed 0.005"],
            durations.GetMeasurementSnapshot().Select(m => $"{m.Tags["tracker.channel.kind"]} {m.Tags["tracker.delivery.outcome"]} {Math.Round(m.Value, 6)}"));
    }

    [Fact]
    public void RecordFirstAttemptLag_ChangeTimeAheadOfTheServerClock_RecordedAsZero()
    {
        var metrics = new DeliveryMetrics(Meters, _time, StoreTelemetry.Sqlite);
        using var lag = new MetricCollector<double>(Meters, DeliveryMetrics.NotificationsMeterName, DeliveryMetrics.AttemptLagName);

        metrics.RecordFirstAttemptLag(ChannelKind.Email, Now, Now.AddMilliseconds(-4));

        Assert.Equal(0, lag.LastMeasurement?.Value);
    }

    [Fact]
    public void RecordChannelDisabled_TwoKinds_CountedByKind()
    {
        var metrics = new DeliveryMetrics(Meters, _time, StoreTelemetry.Sqlite);
        using var disabled = new MetricCollector<long>(Meters, DeliveryMetrics.NotificationsMeterName, DeliveryMetrics.ChannelsDisabledName);

        metrics.RecordChannelDisabled(ChannelKind.Webhook);
        metrics.RecordChannelDisabled(ChannelKind.Slack);
        metrics.RecordChannelDisabled(ChannelKind.Webhook);

        Assert.Equal(
            ["webhook 1", "slack 1", "webhook 1"],
            disabled.GetMeasurementSnapshot().Select(m => $"{m.Tags["tracker.channel.kind"]} {m.Value}"));
    }

    [Fact]
    public void Pending_NoSourceGiven_NoMeasurement()
    {
        _ = new DeliveryMetrics(Meters, _time, StoreTelemetry.Sqlite);
        using var pending = new MetricCollector<long>(Meters, DeliveryMetrics.NotificationsMeterName, DeliveryMetrics.PendingName);

        pending.RecordObservableInstruments();

        Assert.Empty(pending.GetMeasurementSnapshot());
    }

    [Fact]
    public void Pending_SourceGivenThenReplaced_ReportsTheLatestSourcesCountAtEachCollection()
    {
        var metrics = new DeliveryMetrics(Meters, _time, StoreTelemetry.Sqlite);
        using var pending = new MetricCollector<long>(Meters, DeliveryMetrics.NotificationsMeterName, DeliveryMetrics.PendingName);
        long count = 7;

        metrics.ObservePending(() => count);
        pending.RecordObservableInstruments();
        count = 3;
        pending.RecordObservableInstruments();
        metrics.ObservePending(() => 42);
        pending.RecordObservableInstruments();

        Assert.Equal([7, 3, 42], pending.GetMeasurementSnapshot().Select(m => m.Value));
    }
}
