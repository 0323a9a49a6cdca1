using Tracker.Api.V1Alpha1;
using Tracker.Events.Access;
using Tracker.Events.Folding;
using Tracker.Events.Pipeline;
using Tracker.Events.Time;
using Tracker.Events.Validation;
using Grpc.Core;

namespace Tracker.Events;

public sealed partial class EventRpcService
{
    // CreateEvent (AIP-133): a new event, or the one a request_id or a fold (aggregation_key) already made.
    public override async Task<Event> CreateEvent(CreateEventRequest request, ServerCallContext context)
    {
        var caller = CallContextCaller.Of(context);
        var cancellationToken = context.CancellationToken;

        // A service the request names is the caller's to check before anything else; one it
        // would inherit from its related event is checked once that is resolved, below.
        if (request.Attributes?.Service is { Length: > 0 } named)
        {
            EventAccess.RequireService(caller, EventScopes.Write, named);
        }

        var now = _clock.Now();
        var timestamp = EventClock.ToTimestamp(now);
        var newEvent = new Event
        {
            Title = request.Title,
            Attributes = request.Attributes?.Clone(),
            Links = request.Links?.Clone(),
            Id = EventIdentity.NewId(now),
            CreatedAt = timestamp,
            UpdatedAt = timestamp,
            Etag = EventIdentity.NewEtag(),
            Count = 1,
            FirstSeenAt = timestamp,
            LastSeenAt = timestamp,
            AggregationKey = request.AggregationKey,
            CreatedBy = caller.Name,
            UpdatedBy = caller.Name,
        };

        var violations = new Violations();
        if (TextRules.IsLongerThan(request.RequestId, EventLimits.RequestIdChars))
        {
            violations.Add("request_id", $"must be at most {EventLimits.RequestIdChars} characters", ViolationReasons.TooLong);
        }
        else if (NulCharacters.In(request.RequestId))
        {
            violations.Add("request_id", NulCharacters.Rule, ViolationReasons.InvalidFormat);
        }

        if (TextRules.IsLongerThan(request.AggregationKey, EventLimits.AggregationKeyChars))
        {
            violations.Add("aggregation_key", $"must be at most {EventLimits.AggregationKeyChars} characters", ViolationReasons.TooLong);
        }

        // fold_window means nothing without a key, and is not checked then (event_service.proto).
        var foldWindow = request.AggregationKey.Length > 0 ? FoldWindows.Of(request.FoldWindow, _foldWindow, violations) : null;
        await _related.ResolveAsync(newEvent, previousRelatedId: null, violations, related => EventAccess.RequireRelatable(caller, EventScopes.Write, id: null, related), cancellationToken).ConfigureAwait(false);
        _validator.Validate(newEvent, violations);
        if (violations.Any)
        {
            throw EventErrors.InvalidEvent(violations);
        }

        // After the related event's service, so the service checked is the one stored.
        EventAccess.RequireService(caller, EventScopes.Write, id: null, newEvent);
        newEvent.Duration = EventDurations.Of(newEvent.Attributes);
        var requestId = CallerRequestIds.Scoped(caller, request.RequestId);
        var created = newEvent.AggregationKey.Length > 0 && foldWindow > TimeSpan.Zero
            ? await _store.CreateOrFoldAsync(newEvent, requestId, foldWindow.Value, cancellationToken).ConfigureAwait(false)
            : await _store.CreateAsync(newEvent, requestId, cancellationToken).ConfigureAwait(false);
        _watches.ChangeCommitted();
        WriteAudit.Done(context, created.Id, created.Id != newEvent.Id ? (created.Count > 1 && created.AggregationKey.Length > 0 ? "folded" : "repeated") : "created");
        return created;
    }
}
