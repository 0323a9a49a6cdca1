using Tracker.Api.V1Alpha1;
using Grpc.Core;

namespace Tracker.Events;

public sealed partial class EventRpcService
{
    // WatchEvents, server-streaming: the changes after after_id, then each new one as it is committed
    // (EventWatches).
    public override Task WatchEvents(WatchEventsRequest request, IServerStreamWriter<WatchEventsResponse> responseStream, ServerCallContext context) =>
        _watches.WatchAsync(request, responseStream, context, context.CancellationToken);
}
