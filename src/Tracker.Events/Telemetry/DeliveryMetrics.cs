using System.Diagnostics;
using System.Diagnostics.Metrics;
using Tracker.Api.V1Alpha1;

namespace Tracker.Events.Telemetry;

/// <summary>
/// How fast committed changes reach the ones waiting for them, measured by the server, so that an
/// operator (and a benchmark on a busy machine) can tell Tracker's own delay from a client's. The
/// lags run from the change's commit time (<see cref="Storage.EventChange.ChangedAt"/>, the change
/// log's timestamp, which is the WatchEvents message's and the webhook payload's change_time) to a
/// moment on the server's clock, never below 0 (the database's clock may differ a little).
/// <list type="bullet">
/// <item><c>tracker.watch.lag</c> (s, meter <see cref="EventMetrics.MeterName"/>): commit to the
/// live WatchEvents message written and flushed on one watcher's stream, one measurement per
/// message per watcher, with <c>db.system.name</c> (<c>sqlite</c>, <c>postgresql</c>) when the
/// store is known. Initial events and a resumed watch's replay of older changes are not measured:
/// their age is the resume point's, not Tracker's delay.</item>
/// <item><c>tracker.notifications.attempt.lag</c> (s, meter <see cref="NotificationsMeterName"/>):
/// commit to the start of a message's first delivery attempt, with <c>tracker.channel.kind</c>
/// (<c>webhook</c>, <c>slack</c>, <c>email</c>) and <c>db.system.name</c>.</item>
/// <item><c>tracker.notifications.deliveries</c> ({attempt}): delivery attempts, with
/// <c>tracker.channel.kind</c> and <c>tracker.delivery.outcome</c>: <c>delivered</c>,
/// <c>retry</c> (failed, another attempt is scheduled) or <c>failed</c> (a permanent error or the
/// last attempt).</item>
/// <item><c>tracker.notifications.delivery.duration</c> (s): each attempt's latency, from its start
/// to the receiver's answer or the error, with the same two attributes.</item>
/// <item><c>tracker.notifications.channels.disabled</c> ({channel}): channels Tracker disabled by
/// itself, having failed without a success for Notifications:DisableAfter.</item>
/// <item><c>tracker.notifications.pending</c> ({message}): messages not yet delivered nor failed,
/// as the callback given to <see cref="ObservePending"/> reads them at each collection; no series
/// until one is given.</item>
/// </list>
/// The histograms' buckets (<see cref="LagBuckets"/>) run from 1 ms to 10 s in steps fine enough
/// to read a p99 near the targets (50 ms for a watch, 200 ms for a webhook), then 30 s and 60 s.
/// </summary>
public sealed class DeliveryMetrics
{
    /// <summary>The meter of the notification instruments.</summary>
    public const string NotificationsMeterName = "Tracker.Notifications";

    public const string WatchLagName = "tracker.watch.lag";
    public const string AttemptLagName = "tracker.notifications.attempt.lag";
    public const string DeliveriesName = "tracker.notifications.deliveries";
    public const string DeliveryDurationName = "tracker.notifications.delivery.duration";
    public const string PendingName = "tracker.notifications.pending";
    public const string ChannelsDisabledName = "tracker.notifications.channels.disabled";

    /// <summary>The bucket bounds of the lag and duration histograms, in seconds.</summary>
    public static readonly IReadOnlyList<double> LagBuckets =
        [0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 2.5, 5, 10, 30, 60];

    private static readonly InstrumentAdvice<double> Advice = new() { HistogramBucketBoundaries = LagBuckets };

    private readonly TimeProvider _time;
    private readonly KeyValuePair<string, object?>[] _store;
    private readonly Histogram<double> _watchLag;
    private readonly Histogram<double> _attemptLag;
    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _deliveryDuration;
    private readonly Counter<long> _channelsDisabled;
    private volatile Func<long>? _pending;

    /// <param name="meterFactory">Makes the two meters.</param>
    /// <param name="time">The server's clock, read when a watch message has been written.</param>
    /// <param name="storeSystem">The store's db.system.name (<see cref="StoreTelemetry.Sqlite"/>, <see cref="StoreTelemetry.Postgresql"/>); null leaves the attribute out.</param>
    public DeliveryMetrics(IMeterFactory meterFactory, TimeProvider time, string? storeSystem)
    {
        _time = time;
        _store = storeSystem is null ? [] : [new("db.system.name", storeSystem)];
        _watchLag = meterFactory.Create(EventMetrics.MeterName).CreateHistogram(
            WatchLagName,
            unit: "s",
            description: "Time from a change's commit to its WatchEvents message written on a watcher's stream, per watcher.",
            tags: null,
            advice: Advice);

        var notifications = meterFactory.Create(NotificationsMeterName);
        _attemptLag = notifications.CreateHistogram(
            AttemptLagName,
            unit: "s",
            description: "Time from a change's commit to the start of its notification's first delivery attempt.",
            tags: null,
            advice: Advice);
        _deliveries = notifications.CreateCounter<long>(
            DeliveriesName,
            unit: "{attempt}",
            description: "Notification delivery attempts, by channel kind and outcome.");
        _deliveryDuration = notifications.CreateHistogram(
            DeliveryDurationName,
            unit: "s",
            description: "Duration of notification delivery attempts, from the start to the receiver's answer or the error.",
            tags: null,
            advice: Advice);
        _channelsDisabled = notifications.CreateCounter<long>(
            ChannelsDisabledName,
            unit: "{channel}",
            description: "Channels disabled by Tracker itself after failing without a success for Notifications:DisableAfter.");
        notifications.CreateObservableGauge(
            PendingName,
            ObservePendingNow,
            unit: "{message}",
            description: "Notification messages waiting for delivery (neither delivered nor failed).");
    }

    /// <summary>
    /// Records the lag of live watch messages just written and flushed on one watcher's stream:
    /// now minus each one's commit time.
    /// </summary>
    public void WatchMessagesWritten(IReadOnlyList<DateTimeOffset> changeTimes)
    {
        if (!_watchLag.Enabled)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var tags = new TagList(_store);
        for (var i = 0; i < changeTimes.Count; i++)
        {
            _watchLag.Record(Seconds(now - changeTimes[i]), tags);
        }
    }

    /// <summary>
    /// Records <c>tracker.notifications.attempt.lag</c> for a message's first attempt:
    /// <paramref name="lag"/> is the attempt's start minus its change's commit time. Call it once
    /// per message, for its first attempt only (retries are in the deliveries).
    /// </summary>
    public void RecordFirstAttemptLag(ChannelKind kind, TimeSpan lag)
    {
        if (!_attemptLag.Enabled)
        {
            return;
        }

        var tags = new TagList(_store) { { "tracker.channel.kind", EnumLabels<ChannelKind>.Of(kind) } };
        _attemptLag.Record(Seconds(lag), tags);
    }

    /// <summary>
    /// Counts one finished delivery attempt (<c>tracker.notifications.deliveries</c>) and records
    /// its <paramref name="latency"/> (<c>tracker.notifications.delivery.duration</c>).
    /// <paramref name="state"/> is the message's state after it: delivered, pending (a retry is
    /// scheduled, reported as <c>retry</c>) or failed.
    /// </summary>
    public void RecordAttempt(ChannelKind kind, DeliveryState state, TimeSpan latency)
    {
        var tags = new TagList
        {
            { "tracker.channel.kind", EnumLabels<ChannelKind>.Of(kind) },
            { "tracker.delivery.outcome", OutcomeLabel(state) },
        };
        _deliveries.Add(1, tags);
        _deliveryDuration.Record(Seconds(latency), tags);
    }

    /// <summary>Counts a channel Tracker disabled by itself (<c>tracker.notifications.channels.disabled</c>).</summary>
    public void RecordChannelDisabled() => _channelsDisabled.Add(1);

    /// <summary>
    /// Gives <c>tracker.notifications.pending</c> its source: <paramref name="pending"/> is called
    /// at each collection (each /metrics scrape), so it must answer at once (a count the
    /// dispatcher keeps, not a database query). A later call replaces the earlier source.
    /// </summary>
    public void ObservePending(Func<long> pending)
    {
        ArgumentNullException.ThrowIfNull(pending);
        _pending = pending;
    }

    private static string OutcomeLabel(DeliveryState state) => state switch
    {
        DeliveryState.Delivered => "delivered",
        DeliveryState.Pending => "retry",
        DeliveryState.Failed => "failed",
        _ => "unknown",
    };

    private static double Seconds(TimeSpan elapsed) => Math.Max(0, elapsed.TotalSeconds);

    private IEnumerable<Measurement<long>> ObservePendingNow() =>
        _pending is { } pending ? [new Measurement<long>(pending())] : [];
}
