using Tracker.Api.V1Alpha1;
using Tracker.Events.Access;
using Tracker.Events.Pipeline;
using Tracker.Events.Time;
using Tracker.Events.Validation;
using Grpc.Core;

namespace Tracker.Events;

public sealed partial class EventRpcService
{
    // UpdateEvent (AIP-134): merges the request onto the stored event under the update mask. With an etag
    // (AIP-154) the write happens only onto that version (ABORTED otherwise); without one it merges again
    // onto a newer version when another writer came first. A caller limited to some services is refused
    // before anything about the stored event is checked or told.
    public override async Task<Event> UpdateEvent(UpdateEventRequest request, ServerCallContext context)
    {
        var caller = CallContextCaller.Of(context);
        var cancellationToken = context.CancellationToken;
        var violations = new Violations();
        CheckId(request.Id, violations);
        CheckEtag(request.Etag, violations);
        _merger.CheckMask(request, violations);
        if (violations.Any)
        {
            throw EventErrors.InvalidRequest(violations);
        }

        var clientEtag = request.Etag.Length > 0 ? request.Etag : null;
        using var turn = await _updateGate.EnterAsync(request.Id, cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; attempt <= MaxUpdateAttempts; attempt++)
        {
            var current = await _store.GetAsync(request.Id, cancellationToken).ConfigureAwait(false);
            EventAccess.RequireWritable(caller, EventScopes.Write, request.Id, current);
            if (current is null)
            {
                throw EventErrors.NotFound(request.Id);
            }

            if (clientEtag is not null && clientEtag != current.Etag)
            {
                throw EventErrors.EtagMismatch(request.Id);
            }

            var merged = _merger.Merge(current, request);
            var eventViolations = new Violations();
            await _related.ResolveAsync(merged, current.Attributes?.RelatedId, eventViolations, related => EventAccess.RequireRelatable(caller, EventScopes.Write, request.Id, related), cancellationToken).ConfigureAwait(false);
            _validator.Validate(merged, eventViolations);
            if (eventViolations.Any)
            {
                throw EventErrors.InvalidEvent(eventViolations);
            }

            // Nor may it move one of its events out of its services.
            EventAccess.RequireService(caller, EventScopes.Write, request.Id, merged);
            merged.UpdatedAt = EventClock.ToTimestamp(_clock.Now());
            merged.UpdatedBy = caller.Name;
            merged.Etag = EventIdentity.NewEtag();
            merged.Duration = EventDurations.Of(merged.Attributes);
            if (await _store.ReplaceAsync(merged, current.Etag, cancellationToken).ConfigureAwait(false))
            {
                _watches.ChangeCommitted();
                WriteAudit.Done(context, merged.Id, "updated");
                return merged;
            }

            // Someone else wrote first. A client that named a version gets its conflict, once it
            // may know of the newer version; otherwise merge again onto the newer version.
            if (clientEtag is not null)
            {
                var latest = await _store.GetAsync(request.Id, cancellationToken).ConfigureAwait(false);
                EventAccess.RequireWritable(caller, EventScopes.Write, request.Id, latest);
                throw latest is null ? EventErrors.NotFound(request.Id) : EventErrors.EtagMismatch(request.Id);
            }
        }

        EventLog.UpdateContention(_logger, request.Id, MaxUpdateAttempts);
        throw EventErrors.TooMuchContention(request.Id);
    }
}
