using Microsoft.Extensions.Diagnostics.HealthChecks;
using Tracker.Events.Storage;

namespace Tracker.Server;

/// <summary>
/// Healthy when the event store answers a query now (<see cref="IEventStore.IsReachableAsync"/>),
/// within <see cref="Timeout"/>. Logs each change of state once, at Warning, not every probe.
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
            LogReadinessChanged(logger, ready ? "reachable: serving" : "unreachable: not serving");
        }

        return ready ? HealthCheckResult.Healthy("The event store answers.") : HealthCheckResult.Unhealthy("The event store is unreachable.");
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "Event store {State}.")]
    private static partial void LogReadinessChanged(ILogger logger, string state);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Event store readiness check failed.")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);
}
