using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Pipeline;
using Tracker.Events.Storage;
using Tracker.Events.Validation;

namespace Tracker.Notifications.ChannelApi;

public sealed partial class ChannelRpcService
{
    // DeleteChannel (AIP-135): deletes the channel and its delivery log, onto the given etag's
    // version when one is sent (AIP-154); NOT_FOUND when there is none.
    public override async Task<Empty> DeleteChannel(DeleteChannelRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        ChannelValidator.CheckName(request.Name, "name", violations);
        CheckEtag(request.Etag, "etag", violations);
        if (violations.Any)
        {
            throw ChannelErrors.InvalidRequest(violations);
        }

        var outcome = await _store.DeleteChannelAsync(request.Name, request.Etag.Length > 0 ? request.Etag : null, context.CancellationToken).ConfigureAwait(false);
        var result = outcome switch
        {
            DeleteOutcome.Deleted => new Empty(),
            DeleteOutcome.NotFound => throw ChannelErrors.NotFound(request.Name),
            _ => throw ChannelErrors.EtagMismatch(request.Name),
        };
        WriteAudit.Done(context, request.Name, "deleted");
        return result;
    }
}
