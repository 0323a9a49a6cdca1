using Tracker.Events.Storage;
using Tracker.Grpc.Health;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Tracker.Server;

/// <summary>
/// Whether the event store answers, as /readyz and grpc.health.v1 report it: every check
/// updates the gRPC health status, so both say the same thing.
/// </summary>
internal sealed partial class StoreReadiness(IEventStore store, GrpcHealthStatus health, ILogger<StoreReadiness> logger)
{
    private int _lastReady = -1;

    public async Task<bool> CheckAsync(CancellationToken cancellationToken)
    {
        bool ready;
        try
        {
            ready = await store.IsReachableAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogCheckFailed(logger, e);
            ready = false;
        }

        health.SetAll(ready ? ServingStatus.Serving : ServingStatus.NotServing);
        if (Interlocked.Exchange(ref _lastReady, ready ? 1 : 0) != (ready ? 1 : 0))
        {
            LogReadinessChanged(logger, ready ? "reachable: serving" : "unreachable: not serving");
        }

        return ready;
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "Event store {State}.")]
    private static partial void LogReadinessChanged(ILogger logger, string state);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Event store readiness check failed.")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);
}

/// <summary>Checks the store every couple of seconds, so health watchers learn of outages and recoveries.</summary>
internal sealed class StoreReadinessMonitor(StoreReadiness readiness, TimeProvider clock) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            await readiness.CheckAsync(stoppingToken).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
