using System.Diagnostics;
using System.Diagnostics.Metrics;
using Tracker.Api.V1Alpha1;

namespace Tracker.Events.Telemetry;

/// <summary>How a notification attempt ended, for <c>tracker.notifications.deliveries</c>.</summary>
public enum DeliveryOutcome
{
    /// <summary>The receiver took the message (<c>delivered</c>).</summary>
    Delivered,

    /// <summary>The attempt failed and another is scheduled (<c>retry</c>).</summary>
    Retry,

    /// <summary>The attempt failed and the message is marked failed: a permanent error or the last attempt (<c>failed</c>).</summary>
    Failed,
}

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
/// <c>tracker.channel.kind</c> and <c>tracker.delivery.outcome</c> (<c>delivered</c>,
/// <c>retry</c>, <c>failed</c>).</item>
/// <item><c>tracker.notifications.delivery.duration</c> (s): each attempt's latency, from its start
/// to the receiver's answer or the error, with the same two attributes.</item>
/// <item><c>tracker.notifications.channels.disabled</c> ({channel}): channels Tracker disabled for
/// failing longer than Notifications:DisableAfter, by channel kind.</item>
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
            description: "Channels Tracker disabled because they failed without a success for longer than Notifications:DisableAfter.");
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
    /// Records <c>tracker.notifications.attempt.lag</c> for a message's first attempt: from
    /// <paramref name="changedAt"/>, its change's commit time, to <paramref name="attemptStarted"/>.
    /// Call it once per message, for its first attempt only (retries are in the deliveries).
    /// </summary>
    public void RecordFirstAttemptLag(ChannelKind kind, DateTimeOffset changedAt, DateTimeOffset attemptStarted)
    {
        if (!_attemptLag.Enabled)
        {
            return;
        }

        var tags = new TagList(_store) { { "tracker.channel.kind", EnumLabels<ChannelKind>.Of(kind) } };
        _attemptLag.Record(Seconds(attemptStarted - changedAt), tags);
    }

    /// <summary>
    /// Counts one finished delivery attempt (<c>tracker.notifications.deliveries</c>) and records
    /// its <paramref name="duration"/> (<c>tracker.notifications.delivery.duration</c>).
    /// </summary>
    public void RecordAttempt(ChannelKind kind, DeliveryOutcome outcome, TimeSpan duration)
    {
        var tags = new TagList
        {
            { "tracker.channel.kind", EnumLabels<ChannelKind>.Of(kind) },
            { "tracker.delivery.outcome", OutcomeLabel(outcome) },
        };
        _deliveries.Add(1, tags);
        _deliveryDuration.Record(Seconds(duration), tags);
    }

    /// <summary>Counts one channel disabled for failing too long (<c>tracker.notifications.channels.disabled</c>).</summary>
    public void RecordChannelDisabled(ChannelKind kind) =>
        _channelsDisabled.Add(1, new KeyValuePair<string, object?>("tracker.channel.kind", EnumLabels<ChannelKind>.Of(kind)));

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

    private static string OutcomeLabel(DeliveryOutcome outcome) => outcome switch
    {
        DeliveryOutcome.Delivered => "delivered",
        DeliveryOutcome.Retry => "retry",
        DeliveryOutcome.Failed => "failed",
        _ => "unknown",
    };

    private static double Seconds(TimeSpan elapsed) => Math.Max(0, elapsed.TotalSeconds);

    private IEnumerable<Measurement<long>> ObservePendingNow() =>
        _pending is { } pending ? [new Measurement<long>(pending())] : [];
}
