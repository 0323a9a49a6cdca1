using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;
using Tracker.Events.Telemetry;

namespace Tracker.Events.Watching;

/// <summary>
/// WatchEvents for the EventService: plans each call (<see cref="WatchPlanner"/>), runs it
/// (<see cref="WatchSession"/>) on the process's <see cref="ChangeFeed"/>, and wakes the feed
/// after each write of this process (<see cref="ChangeCommitted"/>). Counts the calls streaming
/// (<see cref="WatcherMetrics"/>) and measures each live message's lag (<see cref="DeliveryMetrics"/>).
/// </summary>
public sealed class EventWatches(IEventStore store, ChangeFeed feed, ChangeSignal signal, IOptions<WatchOptions> options, WatcherMetrics metrics, DeliveryMetrics lag, ILogger<EventWatches> logger)
{
    private readonly WatchPlanner _planner = new(store);

    /// <summary>Says that this process committed a change: the feed reads it at once.</summary>
    public void ChangeCommitted() => signal.Notify();

    /// <summary>Streams the changes the request asks for until the call ends; see WatchEvents in event_service.proto.</summary>
    public async Task WatchAsync(WatchEventsRequest request, IServerStreamWriter<WatchEventsResponse> stream, ServerCallContext context, CancellationToken cancellationToken)
    {
        var plan = await _planner.PlanAsync(request, cancellationToken).ConfigureAwait(false);

        // The request is valid: say so now (HTTP 200 and the headers), so that a watcher whose
        // filter matches nothing for a while knows it is subscribed, and proxies see a response.
        await context.WriteResponseHeadersAsync([]).ConfigureAwait(false);
        metrics.Joined();
        try
        {
            await new WatchSession(store, feed, options.Value.BufferSize, lag, logger).RunAsync(plan, stream, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            metrics.Left();
        }
    }
}
