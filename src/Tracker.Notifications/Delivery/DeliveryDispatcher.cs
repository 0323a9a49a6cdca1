using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Notifications;
using Tracker.Events.Telemetry;
using Tracker.Events.Watching;
using Tracker.Notifications.Sending;

namespace Tracker.Notifications.Delivery;

/// <summary>
/// Delivers the outbox: leases due messages (oldest change first) and hands each to its
/// channel's <see cref="ChannelLane"/>, which attempts them one after another in that order, so a
/// channel's messages are first attempted in commit order while channels proceed side by side.
/// A failed attempt is scheduled for a retry by <see cref="RetrySchedule"/> and never holds back
/// later messages. Leases make two replicas (or a restarted process) skip what another holds; a
/// process killed mid-attempt leaves its lease to expire, and the message is attempted again
/// (receivers dedupe by its id). Wakes on <see cref="DeliveryWakeup"/>, when the next retry is
/// due, and every poll interval (for messages routed on another replica).
/// </summary>
public sealed class DeliveryDispatcher : BackgroundService
{
    /// <summary>How long a leased message is reserved for this process; longer than any attempt.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private const int LeaseBatch = 200;

    /// <summary>
    /// At most this many leased messages wait in this process's lanes: more is leased only as
    /// attempts finish, so no message waits in memory until its lease runs out, and other replicas
    /// can take what this one cannot send yet.
    /// </summary>
    private const int MaxQueued = 400;

    /// <summary>How often the pending count that tracker.notifications.pending reports is read from the store.</summary>
    private static readonly TimeSpan PendingRefresh = TimeSpan.FromSeconds(5);

    private readonly INotificationStore _store;
    private readonly DeliveryWakeup _wakeup;
    private readonly ChannelSenders _senders;
    private readonly NotificationOptions _options;
    private readonly WatchOptions _watchOptions;
    private readonly TimeProvider _time;
    private readonly DeliveryMetrics _metrics;
    private readonly ILogger<DeliveryDispatcher> _logger;
    private readonly RetrySchedule _retries;
    private readonly Dictionary<string, ChannelLane> _lanes = new(StringComparer.Ordinal);
    private readonly Lock _lanesGate = new();
    private readonly DeliveryWakeup _progress = new();
    private long _pending;
    private int _queued;
    private DateTimeOffset _pendingReadAt = DateTimeOffset.MinValue;

    public DeliveryDispatcher(
        INotificationStore store,
        DeliveryWakeup wakeup,
        ChannelSenders senders,
        IOptions<NotificationOptions> options,
        IOptions<WatchOptions> watchOptions,
        TimeProvider time,
        DeliveryMetrics metrics,
        ILogger<DeliveryDispatcher> logger)
    {
        _store = store;
        _wakeup = wakeup;
        _senders = senders;
        _options = options.Value;
        _watchOptions = watchOptions.Value;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _retries = new RetrySchedule(_options.EffectiveRetryDelays);
        _metrics.ObservePending(() => Interlocked.Read(ref _pending));
    }

    /// <summary>This process's lease owner name: host, process and a random part, unique per start.</summary>
    public string Owner { get; } = $"{System.Environment.MachineName}/{System.Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = _wakeup.Next;
            var wait = _watchOptions.PollInterval;
            try
            {
                await RefreshPendingAsync(stoppingToken).ConfigureAwait(false);
                var room = MaxQueued - Volatile.Read(ref _queued);
                if (room <= 0)
                {
                    // The lanes are full: lease again as their attempts finish.
                    next = _progress.Next;
                    if (Volatile.Read(ref _queued) >= MaxQueued)
                    {
                        await WaitAsync(next, wait, stoppingToken).ConfigureAwait(false);
                    }

                    continue;
                }

                var limit = Math.Min(room, LeaseBatch);
                var leased = await LeaseAndDispatchAsync(limit, stoppingToken).ConfigureAwait(false);
                if (leased == limit)
                {
                    continue;
                }

                if (await _store.NextDueAsync(stoppingToken).ConfigureAwait(false) is { } due)
                {
                    var untilDue = due - _time.GetUtcNow();
                    wait = untilDue < TimeSpan.Zero ? TimeSpan.Zero : untilDue < wait ? untilDue : wait;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                DeliveryLog.DispatchFailed(_logger, e);
            }

            if (!await WaitAsync(next, wait, stoppingToken).ConfigureAwait(false))
            {
                break;
            }
        }

        await DrainLanesAsync().ConfigureAwait(false);
    }

    /// <summary>Waits for <paramref name="signal"/> or <paramref name="wait"/>; false when the server is stopping.</summary>
    private async Task<bool> WaitAsync(Task signal, TimeSpan wait, CancellationToken stoppingToken)
    {
        try
        {
            await signal.WaitAsync(wait, _time, stoppingToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }

        return true;
    }

    /// <summary>Leases up to <paramref name="limit"/> due messages and queues each on its channel's lane; returns how many.</summary>
    private async Task<int> LeaseAndDispatchAsync(int limit, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var leased = await _store.LeaseDueAsync(Owner, now, Lease, limit, cancellationToken).ConfigureAwait(false);
        if (leased.Count == 0)
        {
            return 0;
        }

        var channels = (await _store.ListChannelsAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(c => c.Name, StringComparer.Ordinal);
        foreach (var group in leased.GroupBy(m => m.Delivery.Channel, StringComparer.Ordinal))
        {
            if (!channels.TryGetValue(group.Key, out var channel))
            {
                // Deleted meanwhile: its log went with it.
                continue;
            }

            Interlocked.Add(ref _queued, group.Count());

            lock (_lanesGate)
            {
                if (!_lanes.TryGetValue(group.Key, out var lane))
                {
                    lane = new ChannelLane(this, group.Key, cancellationToken);
                    _lanes[group.Key] = lane;
                }

                lane.Enqueue(channel, group, now + Lease);
            }
        }

        return leased.Count;
    }

    /// <summary>Reads, at most every <see cref="PendingRefresh"/>, how many messages wait in all channels.</summary>
    private async Task RefreshPendingAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (now - _pendingReadAt < PendingRefresh)
        {
            return;
        }

        _pendingReadAt = now;
        var channels = await _store.ListChannelsAsync(cancellationToken).ConfigureAwait(false);
        var health = await _store.GetHealthAsync(channels.Select(c => c.Name).ToList(), now, cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _pending, health.Values.Sum(h => h.PendingMessages));
    }

    private async Task DrainLanesAsync()
    {
        Task[] running;
        lock (_lanesGate)
        {
            running = _lanes.Values.Select(l => l.Running).ToArray();
        }

        try
        {
            await Task.WhenAll(running).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping: unfinished messages keep their lease until it expires, then go again.
        }
    }

    /// <summary>Attempts one message and says what became of it.</summary>
    internal async Task<AttemptOutcome> AttemptAsync(Channel channel, LeasedMessage message, CancellationToken cancellationToken)
    {
        var started = _time.GetUtcNow();
        var payload = message.DecodePayload();
        var result = await _senders.SendAsync(channel, message.Delivery.Id, payload, cancellationToken).ConfigureAwait(false);
        var attempts = message.AttemptsSinceRedelivery + 1;
        if (message.Delivery.Attempts.Count == 0)
        {
            _metrics.RecordFirstAttemptLag(channel.Kind, message.ChangedAt, started);
        }

        var now = _time.GetUtcNow();
        var retryAt = _retries.NextAttempt(attempts, result, now, Random.Shared);
        var state = result.Outcome == SendOutcome.Delivered ? DeliveryState.Delivered
            : retryAt is null ? DeliveryState.Failed
            : DeliveryState.Pending;
        _metrics.RecordAttempt(channel.Kind, state switch
        {
            DeliveryState.Delivered => DeliveryOutcome.Delivered,
            DeliveryState.Pending => DeliveryOutcome.Retry,
            _ => DeliveryOutcome.Failed,
        }, result.Latency);
        if (state == DeliveryState.Failed)
        {
            DeliveryLog.MessageFailed(_logger, message.Delivery.Id, channel.Name, attempts, result.Error ?? $"status {result.StatusCode}");
        }

        var attempt = new DeliveryAttempt
        {
            AttemptTime = Timestamp.FromDateTimeOffset(started),
            StatusCode = result.StatusCode,
            Error = result.Error ?? string.Empty,
            Latency = Duration.FromTimeSpan(result.Latency),
        };
        return new AttemptOutcome(message.Delivery.Id, channel.Name, attempt, state, retryAt);
    }

    /// <summary>Records a lane's outcomes, and disables a channel that has failed for too long.</summary>
    internal async Task CompleteAsync(Channel channel, IReadOnlyList<AttemptOutcome> outcomes, CancellationToken cancellationToken)
    {
        await _store.CompleteAsync(Owner, outcomes, cancellationToken).ConfigureAwait(false);
        if (outcomes.All(o => o.Succeeded))
        {
            return;
        }

        var now = _time.GetUtcNow();
        var failingBefore = now - _options.DisableAfter;
        var reason = $"failing without a success for longer than Notifications:DisableAfter ({_options.DisableAfter})";
        if (await _store.DisableFailingAsync(channel.Name, failingBefore, reason, now, cancellationToken).ConfigureAwait(false))
        {
            _metrics.RecordChannelDisabled(channel.Kind);
            DeliveryLog.ChannelDisabled(_logger, channel.Name, failingBefore, reason);
        }
    }

    /// <summary>Forgets a lane that has run out of work.</summary>
    internal void Retire(ChannelLane lane)
    {
        lock (_lanesGate)
        {
            if (_lanes.TryGetValue(lane.Channel, out var current) && ReferenceEquals(current, lane) && lane.IsIdle)
            {
                _lanes.Remove(lane.Channel);
            }
        }
    }

    /// <summary>Says that <paramref name="count"/> queued messages are done with (recorded, or dropped after a failure), making room to lease more.</summary>
    internal void Finished(int count)
    {
        Interlocked.Add(ref _queued, -count);
        _progress.Notify();
    }

    /// <summary>Says that a queued message was skipped because its lease would run out.</summary>
    internal void Skipped() => Finished(1);

    /// <summary>Logs a lane's failure to record its outcomes; the leases then expire and the messages go again.</summary>
    internal void LaneFailed(Exception e) => DeliveryLog.DispatchFailed(_logger, e);

    /// <summary>Whether a message leased until <paramref name="leasedUntil"/> can still be attempted within its lease.</summary>
    internal bool WithinLease(DateTimeOffset leasedUntil) => _time.GetUtcNow() + _options.AttemptTimeout + TimeSpan.FromSeconds(5) < leasedUntil;
}
