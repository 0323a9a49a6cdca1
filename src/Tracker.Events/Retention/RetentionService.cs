using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tracker.Events.Storage;
using Tracker.Events.Watching;
using Type = Tracker.Api.V1Alpha1.Type;

namespace Tracker.Events.Retention;

/// <summary>
/// Enforces the "Retention" settings (README, "Retention"): at start and then every
/// <see cref="RetentionOptions.Interval"/>, deletes the events whose last change (updated_at) is
/// older than their type's retention, <see cref="RetentionOptions.BatchSize"/> per short
/// transaction through <see cref="IEventStore.DeleteExpiredAsync"/>, until none is left. Watchers
/// see each deletion as CHANGE_TYPE_DELETED: this process's feed is woken after each batch, other
/// replicas by the change log. Each run that deleted something adds to the
/// <see cref="RetentionMetrics"/> counter and writes one log line. A store outage is logged at
/// Warning and the next interval tries again; the host never stops over it. With no retention
/// configured, it logs so once and does nothing. Its clock and timer are the host's TimeProvider.
/// </summary>
public sealed class RetentionService : BackgroundService
{
    private readonly IEventStore _store;
    private readonly EventWatches _watches;
    private readonly RetentionOptions _options;
    private readonly RetentionPolicy _policy;
    private readonly RetentionMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<RetentionService> _logger;
    private PeriodicTimer? _timer;

    public RetentionService(IEventStore store, EventWatches watches, IOptions<RetentionOptions> options, RetentionMetrics metrics, TimeProvider time, ILogger<RetentionService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _watches = watches;
        _options = options.Value;
        _policy = RetentionPolicy.From(_options);
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // The timer starts with the service: time that passes once StartAsync has returned counts
        // towards the next run, whenever ExecuteAsync gets to wait for it.
        if (!_policy.IsOff)
        {
            _timer = new PeriodicTimer(_options.Interval, _time);
        }

        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
    }

    /// <summary>
    /// One run: deletes every event expired now, batch after batch, and reports it (counter, log
    /// line). Returns how many were deleted per type (a type with none is absent). A store failure
    /// ends the run early and is logged, not thrown; cancellation is thrown.
    /// </summary>
    public async Task<IReadOnlyDictionary<Type, long>> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        var deleted = new Dictionary<Type, long>();
        if (_policy.IsOff)
        {
            return deleted;
        }

        var started = _time.GetTimestamp();
        var cutoffs = _policy.CutoffsAt(_time.GetUtcNow());
        try
        {
            int batchTotal;
            do
            {
                var batch = await _store.DeleteExpiredAsync(cutoffs, _options.BatchSize, cancellationToken).ConfigureAwait(false);
                batchTotal = batch.Values.Sum();
                if (batchTotal > 0)
                {
                    _watches.ChangeCommitted();
                }

                foreach (var (type, count) in batch)
                {
                    _metrics.Deleted(type, count);
                    deleted[type] = deleted.GetValueOrDefault(type) + count;
                }
            }
            while (batchTotal >= _options.BatchSize);
        }
        catch (StoreUnavailableException e)
        {
            RetentionLog.StoreUnavailable(_logger, _options.Interval, e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Housekeeping never takes the host down: the next interval tries again.
            RetentionLog.Failed(_logger, _options.Interval, e);
        }
        finally
        {
            if (deleted.Count > 0)
            {
                RetentionLog.Deleted(
                    _logger,
                    deleted.Values.Sum(),
                    string.Join(", ", deleted.OrderByDescending(d => d.Value).ThenBy(d => d.Key).Select(d => $"{EventTypeNames.Lower(d.Key)}: {d.Value}")),
                    _time.GetElapsedTime(started).TotalSeconds);
            }
        }

        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_timer is null)
        {
            RetentionLog.Off(_logger);
            return;
        }

        RetentionLog.On(_logger, _policy.Describe(), _options.Interval, _options.BatchSize);
        try
        {
            do
            {
                await DeleteExpiredAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await _timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
