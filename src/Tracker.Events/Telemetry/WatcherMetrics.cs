using System.Diagnostics.Metrics;

namespace Tracker.Events.Telemetry;

/// <summary>The up-down counter <c>tracker.watch.watchers</c> ({watcher}): WatchEvents calls streaming now.</summary>
public sealed class WatcherMetrics(IMeterFactory meterFactory)
{
    private readonly UpDownCounter<long> _watchers = meterFactory.Create(EventMetrics.MeterName).CreateUpDownCounter<long>(
        "tracker.watch.watchers",
        unit: "{watcher}",
        description: "WatchEvents calls streaming now.");

    public void Joined() => _watchers.Add(1);

    public void Left() => _watchers.Add(-1);
}
