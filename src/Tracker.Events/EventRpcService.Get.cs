using Tracker.Api.V1Alpha1;
using Grpc.Core;

namespace Tracker.Events;

public sealed partial class EventRpcService
{
    // GetEvent (AIP-131): the event, or NOT_FOUND. Reads are not limited by service.
    public override async Task<Event> GetEvent(GetEventRequest request, ServerCallContext context)
    {
        ThrowIfInvalidId(request.Id);
        return await _store.GetAsync(request.Id, context.CancellationToken).ConfigureAwait(false)
            ?? throw EventErrors.NotFound(request.Id);
    }
}
