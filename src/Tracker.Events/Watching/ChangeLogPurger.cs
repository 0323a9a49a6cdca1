using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tracker.Events.Storage;

namespace Tracker.Events.Watching;

/// <summary>
/// Keeps the change log to <see cref="WatchOptions.ChangeRetention"/>: at start and then every
/// hour, deletes the changes older than that, a thousand per short transaction, and logs how
/// many went. Deleted events stay resumable for as long as their change is kept.
/// </summary>
public sealed class ChangeLogPurger(IEventStore store, IOptions<WatchOptions> options, TimeProvider time, ILogger<ChangeLogPurger> logger) : BackgroundService
{
    /// <summary>How often the log is purged.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    private const int BatchSize = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PurgeAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(Interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Deletes every change older than the retention; returns how many.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.Value.ChangeRetention;
        var total = 0;
        try
        {
            int purged;
            do
            {
                purged = await store.PurgeChangesAsync(cutoff, BatchSize, cancellationToken).ConfigureAwait(false);
                total += purged;
            }
            while (purged == BatchSize);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Never take the host down over housekeeping: the next hour tries again.
            WatchLog.PurgeFailed(logger, e);
        }

        if (total > 0)
        {
            WatchLog.ChangesPurged(logger, total, cutoff);
        }

        return total;
    }
}
