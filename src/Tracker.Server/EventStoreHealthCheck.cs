using Microsoft.Extensions.Diagnostics.HealthChecks;
using Tracker.Events.Storage;

namespace Tracker.Server;

/// <summary>
/// Healthy when the event store answers a query now (<see cref="IEventStore.IsReachableAsync"/>),
/// within <see cref="Timeout"/>. Logs each change of state once, not every probe: an outage at
/// Warning, being reachable (at start-up, and after an outage) at Information.
/// </summary>
internal sealed partial class EventStoreHealthCheck(IEventStore store, ILogger<EventStoreHealthCheck> logger) : IHealthCheck
{
    /// <summary>How long a probe may wait for the store before it counts as unreachable.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    // One instance per host (a singleton), so the last state is the host's own.
    private int _lastReady = -1;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        bool ready;
        try
        {
            using var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            probe.CancelAfter(Timeout);
            ready = await store.IsReachableAsync(probe.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogCheckFailed(logger, e);
            ready = false;
        }

        var state = ready ? 1 : 0;
        if (Interlocked.Exchange(ref _lastReady, state) != state)
        {
            if (ready)
            {
                LogReachable(logger);
            }
            else
            {
                LogUnreachable(logger);
            }
        }

        return ready ? HealthCheckResult.Healthy("The event store answers.") : HealthCheckResult.Unhealthy("The event store is unreachable.");
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "Event store unreachable: not serving.")]
    private static partial void LogUnreachable(ILogger logger);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Event store reachable: serving.")]
    private static partial void LogReachable(ILogger logger);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Event store readiness check failed.")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);
}
