using System.Diagnostics.Metrics;

namespace Tracker.Events.Telemetry;

/// <summary>
/// The up-down counter <c>tracker.watch.watchers</c> ({watcher}): the WatchEvents calls streaming
/// now. Observed at each collection, so it is reported (0) before the first watch too.
/// </summary>
public sealed class WatcherMetrics
{
    private long _watchers;

    public WatcherMetrics(IMeterFactory meterFactory)
    {
        meterFactory.Create(EventMetrics.MeterName).CreateObservableUpDownCounter(
            "tracker.watch.watchers",
            () => Interlocked.Read(ref _watchers),
            unit: "{watcher}",
            description: "WatchEvents calls streaming now.");
    }

    public void Joined() => Interlocked.Increment(ref _watchers);

    public void Left() => Interlocked.Decrement(ref _watchers);
}
