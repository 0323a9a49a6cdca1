using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Tracker.Events.Storage;
using Tracker.Events.Telemetry;
using Tracker.Events.Watching;

namespace Tracker.Events.Tests.Support;

/// <summary>The watch machinery an EventRpcService needs, over a store, with default options and no host.</summary>
internal static class TestWatches
{
    private static readonly IMeterFactory Meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    public static EventWatches For(IEventStore store)
    {
        var signal = new ChangeSignal();
        var options = Options.Create(new WatchOptions());
        var feed = new ChangeFeed(store, signal, options, new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance), NullLogger<ChangeFeed>.Instance);
        return new EventWatches(store, feed, signal, options, new WatcherMetrics(Meters), new DeliveryMetrics(Meters, TimeProvider.System, storeSystem: null), NullLogger<EventWatches>.Instance);
    }
}
