using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Access;
using Tracker.Events.Pipeline;
using Tracker.Events.Storage;
using Tracker.Events.Validation;
using Grpc.Core;

namespace Tracker.Events;

public sealed partial class EventRpcService
{
    // DeleteEvent (AIP-135): deletes the event, onto the given etag's version when one is sent (AIP-154); a
    // missing event is NOT_FOUND, or success with allow_missing.
    public override async Task<Empty> DeleteEvent(DeleteEventRequest request, ServerCallContext context)
    {
        var caller = CallContextCaller.Of(context);
        var cancellationToken = context.CancellationToken;
        var violations = new Violations();
        CheckId(request.Id, violations);
        CheckEtag(request.Etag, violations);
        if (violations.Any)
        {
            throw EventErrors.InvalidRequest(violations);
        }

        var etag = request.Etag.Length > 0 ? request.Etag : null;
        var outcome = caller.Services.IsAny
            ? await _store.DeleteAsync(request.Id, etag, cancellationToken).ConfigureAwait(false)
            : await DeleteWithinServicesAsync(request.Id, etag, caller, cancellationToken).ConfigureAwait(false);
        if (outcome == DeleteOutcome.Deleted)
        {
            _watches.ChangeCommitted();
        }

        var result = outcome switch
        {
            DeleteOutcome.Deleted => new Empty(),
            DeleteOutcome.NotFound when request.AllowMissing => new Empty(),
            DeleteOutcome.NotFound => throw EventErrors.NotFound(request.Id),
            _ => throw EventErrors.EtagMismatch(request.Id),
        };
        WriteAudit.Done(context, request.Id, outcome == DeleteOutcome.Deleted ? "deleted" : "already_missing");
        return result;
    }

    /// <summary>
    /// Deletes for a caller limited to some services: reads the event to check its service before
    /// anything else (its etag included), then deletes exactly the version checked, so a
    /// concurrent update cannot move an event of another service under the delete; a lost race
    /// reads again.
    /// </summary>
    private async Task<DeleteOutcome> DeleteWithinServicesAsync(string id, string? clientEtag, Caller caller, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxUpdateAttempts; attempt++)
        {
            var current = await _store.GetAsync(id, cancellationToken).ConfigureAwait(false);
            EventAccess.RequireWritable(caller, EventScopes.Delete, id, current);
            if (current is null)
            {
                return DeleteOutcome.NotFound;
            }

            var outcome = await _store.DeleteAsync(id, clientEtag ?? current.Etag, cancellationToken).ConfigureAwait(false);
            if (outcome != DeleteOutcome.EtagMismatch || clientEtag is not null)
            {
                return outcome;
            }
        }

        EventLog.UpdateContention(_logger, id, MaxUpdateAttempts);
        throw EventErrors.TooMuchContention(id);
    }
}
