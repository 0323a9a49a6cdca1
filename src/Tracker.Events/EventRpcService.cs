using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Access;
using Tracker.Events.Folding;
using Tracker.Events.Hosting;
using Tracker.Events.Paging;
using Tracker.Events.Querying;
using Tracker.Events.Storage;
using Tracker.Events.Time;
using Tracker.Events.Updating;
using Tracker.Events.Validation;
using Tracker.Events.Watching;
using Grpc.Core;

namespace Tracker.Events;

/// <summary>
/// The tracker.event.v1alpha1.EventService handlers, on the class Grpc.Tools generates from the
/// protos. Each handler checks its request, delegates to one small class per job and maps the
/// outcome to a status through <see cref="EventErrors"/>; gRPC, gRPC-Web and REST (JSON
/// transcoding) reach the same handler with the same request message. It is bound through
/// <see cref="EventServiceBinding"/>, which answers undecodable request messages INTERNAL.
/// </summary>
[BindServiceMethod(typeof(EventServiceBinding), nameof(EventServiceBinding.BindService))]
public sealed class EventRpcService : EventService.EventServiceBase
{
    // Updates of one event queue in this process (EventUpdateGate); without an etag an update
    // retries only when another process (a replica on the same database) wrote first.
    private const int MaxUpdateAttempts = 10;

    private readonly IEventStore _store;
    private readonly ICallerIdentity _identity;
    private readonly EventClock _clock;
    private readonly TimeZoneInfo _defaultTimeZone;
    private readonly ILogger<EventRpcService> _logger;
    private readonly EventValidator _validator = new();
    private readonly EventMerger _merger = new();
    private readonly EventUpdateGate _updateGate = new();
    private readonly RelatedEventResolver _related;
    private readonly EventPager _pager;
    private readonly SearchCriteriaBuilder _criteria;
    private readonly EventWatches _watches;
    private readonly TimeSpan _foldWindow;

    public EventRpcService(IEventStore store, ICallerIdentity identity, EventWatches watches, TimeProvider timeProvider, IOptions<TrackerOptions> options, ILogger<EventRpcService> logger)
    {
        _store = store;
        _identity = identity;
        _watches = watches;
        _clock = new EventClock(timeProvider);
        _defaultTimeZone = TimeZoneResolver.Find(options.Value.TimeZone)
            ?? throw new InvalidOperationException($"Tracker:TimeZone '{options.Value.TimeZone}' is not an IANA time zone id.");
        _foldWindow = options.Value.FoldWindow;
        _logger = logger;
        _related = new RelatedEventResolver(store);
        _pager = new EventPager(store);
        _criteria = new SearchCriteriaBuilder(store);
    }

    public override Task<Event> CreateEvent(CreateEventRequest request, ServerCallContext context) =>
        GuardWriteAsync(nameof(CreateEvent), EventScopes.Write, eventId: "-", context, (caller, audit, cancellationToken) => CreateAsync(request, caller, audit, cancellationToken));

    public override Task<Event> GetEvent(GetEventRequest request, ServerCallContext context) =>
        GuardAsync(nameof(GetEvent), EventScopes.Read, context, (_, cancellationToken) => GetAsync(request, cancellationToken));

    public override Task<Event> UpdateEvent(UpdateEventRequest request, ServerCallContext context) =>
        GuardWriteAsync(nameof(UpdateEvent), EventScopes.Write, request.Id, context, (caller, audit, cancellationToken) => UpdateAsync(request, caller, audit, cancellationToken));

    public override Task<Empty> DeleteEvent(DeleteEventRequest request, ServerCallContext context) =>
        GuardWriteAsync(nameof(DeleteEvent), EventScopes.Delete, request.Id, context, (caller, audit, cancellationToken) => DeleteAsync(request, caller, audit, cancellationToken));

    public override Task<ListEventsResponse> ListEvents(ListEventsRequest request, ServerCallContext context) =>
        GuardAsync(nameof(ListEvents), EventScopes.Read, context, (_, cancellationToken) => ListAsync(request, context, cancellationToken));

    public override Task<SearchEventsResponse> SearchEvents(SearchEventsRequest request, ServerCallContext context) =>
        GuardAsync(nameof(SearchEvents), EventScopes.Read, context, (_, cancellationToken) => SearchAsync(request, context, cancellationToken));

    public override Task<TodayEventsResponse> TodayEvents(TodayEventsRequest request, ServerCallContext context) =>
        GuardAsync(nameof(TodayEvents), EventScopes.Read, context, (_, cancellationToken) => TodayAsync(request, context, cancellationToken));

    public override Task WatchEvents(WatchEventsRequest request, IServerStreamWriter<WatchEventsResponse> responseStream, ServerCallContext context) =>
        GuardAsync(nameof(WatchEvents), EventScopes.Read, context, async (_, cancellationToken) =>
        {
            await _watches.WatchAsync(request, responseStream, context, cancellationToken).ConfigureAwait(false);
            return true;
        });

    private async Task<Event> CreateAsync(CreateEventRequest request, Caller caller, WriteAudit audit, CancellationToken cancellationToken)
    {
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
        await _related.ResolveAsync(newEvent, previousRelatedId: null, violations, cancellationToken).ConfigureAwait(false);
        _validator.Validate(newEvent, violations);
        if (violations.Any)
        {
            throw EventErrors.InvalidEvent(violations);
        }

        // After validation and the related event's service, so the service checked is the one stored.
        EventAccess.RequireService(caller, newEvent.Attributes?.Service ?? string.Empty);
        newEvent.Duration = EventDurations.Of(newEvent.Attributes);
        var requestId = CallerRequestIds.Scoped(caller, request.RequestId);
        var created = newEvent.AggregationKey.Length > 0 && foldWindow > TimeSpan.Zero
            ? await _store.CreateOrFoldAsync(newEvent, requestId, foldWindow.Value, cancellationToken).ConfigureAwait(false)
            : await _store.CreateAsync(newEvent, requestId, cancellationToken).ConfigureAwait(false);
        _watches.ChangeCommitted();
        audit.Done(created.Id, created.Id != newEvent.Id ? (created.Count > 1 && created.AggregationKey.Length > 0 ? "folded" : "repeated") : "created");
        return created;
    }

    private async Task<Event> GetAsync(GetEventRequest request, CancellationToken cancellationToken)
    {
        ThrowIfInvalidId(request.Id);
        return await _store.GetAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw EventErrors.NotFound(request.Id);
    }

    private async Task<Event> UpdateAsync(UpdateEventRequest request, Caller caller, WriteAudit audit, CancellationToken cancellationToken)
    {
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
            var current = await _store.GetAsync(request.Id, cancellationToken).ConfigureAwait(false)
                ?? throw EventErrors.NotFound(request.Id);
            if (clientEtag is not null && clientEtag != current.Etag)
            {
                throw EventErrors.EtagMismatch(request.Id);
            }

            // A caller limited to some services can neither change another's event nor move one out of its own.
            EventAccess.RequireService(caller, current.Attributes?.Service ?? string.Empty);
            var merged = _merger.Merge(current, request);
            var eventViolations = new Violations();
            await _related.ResolveAsync(merged, current.Attributes?.RelatedId, eventViolations, cancellationToken).ConfigureAwait(false);
            _validator.Validate(merged, eventViolations);
            if (eventViolations.Any)
            {
                throw EventErrors.InvalidEvent(eventViolations);
            }

            EventAccess.RequireService(caller, merged.Attributes?.Service ?? string.Empty);
            merged.UpdatedAt = EventClock.ToTimestamp(_clock.Now());
            merged.UpdatedBy = caller.Name;
            merged.Etag = EventIdentity.NewEtag();
            merged.Duration = EventDurations.Of(merged.Attributes);
            if (await _store.ReplaceAsync(merged, current.Etag, cancellationToken).ConfigureAwait(false))
            {
                _watches.ChangeCommitted();
                audit.Done(merged.Id, "updated");
                return merged;
            }

            // Someone else wrote first. A client that named a version gets its conflict; otherwise
            // merge again onto the newer version.
            if (clientEtag is not null)
            {
                var latest = await _store.GetAsync(request.Id, cancellationToken).ConfigureAwait(false);
                throw latest is null ? EventErrors.NotFound(request.Id) : EventErrors.EtagMismatch(request.Id);
            }
        }

        EventLog.UpdateContention(_logger, request.Id, MaxUpdateAttempts);
        throw EventErrors.TooMuchContention(request.Id);
    }

    private async Task<Empty> DeleteAsync(DeleteEventRequest request, Caller caller, WriteAudit audit, CancellationToken cancellationToken)
    {
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
        audit.Done(request.Id, outcome == DeleteOutcome.Deleted ? "deleted" : "already_missing");
        return result;
    }

    /// <summary>
    /// Deletes for a caller limited to some services: reads the event to check its service, then
    /// deletes exactly the version checked (its etag), so a concurrent update cannot move an
    /// event of another service under the delete; a lost race reads again.
    /// </summary>
    private async Task<DeleteOutcome> DeleteWithinServicesAsync(string id, string? clientEtag, Caller caller, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxUpdateAttempts; attempt++)
        {
            var current = await _store.GetAsync(id, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return DeleteOutcome.NotFound;
            }

            EventAccess.RequireService(caller, current.Attributes?.Service ?? string.Empty);
            var outcome = await _store.DeleteAsync(id, clientEtag ?? current.Etag, cancellationToken).ConfigureAwait(false);
            if (outcome != DeleteOutcome.EtagMismatch || clientEtag is not null)
            {
                return outcome;
            }
        }

        EventLog.UpdateContention(_logger, id, MaxUpdateAttempts);
        throw EventErrors.TooMuchContention(id);
    }

    private async Task<ListEventsResponse> ListAsync(ListEventsRequest request, ServerCallContext context, CancellationToken cancellationToken)
    {
        var paging = new PagingFields(request.PerPage, request.Page, request.PageSize, request.PageToken, request.OrderBy);
        var search = new SearchFields(request.Filter, request.Query, request.Q, request.AfterId);
        var page = await FetchAsync(nameof(ListEvents), [], search, paging, new Violations(), cancellationToken).ConfigureAwait(false);
        return ListingResponses.List(page, context);
    }

    private async Task<SearchEventsResponse> SearchAsync(SearchEventsRequest request, ServerCallContext context, CancellationToken cancellationToken)
    {
        var violations = new Violations();
        var terms = SearchFilterParser.Parse(request, violations);
        var paging = new PagingFields(request.PerPage, request.Page, request.PageSize, request.PageToken, request.OrderBy);
        var search = new SearchFields(request.Filter, request.Query, request.Q, request.AfterId);
        var page = await FetchAsync(nameof(SearchEvents), terms, search, paging, violations, cancellationToken).ConfigureAwait(false);
        return ListingResponses.Search(page, context);
    }

    private async Task<TodayEventsResponse> TodayAsync(TodayEventsRequest request, ServerCallContext context, CancellationToken cancellationToken)
    {
        var violations = new Violations();
        var zone = _defaultTimeZone;
        if (request.TimeZone.Length > 0)
        {
            if (TimeZoneResolver.Find(request.TimeZone) is { } requested)
            {
                zone = requested;
            }
            else
            {
                violations.Add("time_zone", "must be an IANA time zone id, e.g. UTC or Europe/Paris", ViolationReasons.InvalidFormat);
            }
        }

        var (from, to) = DayWindow.Of(_clock.Now(), zone);
        var paging = new PagingFields(request.PerPage, request.Page, request.PageSize, request.PageToken, request.OrderBy);
        var search = new SearchFields(request.Filter, request.Query, request.Q, AfterId: string.Empty);
        var page = await FetchAsync(nameof(TodayEvents), SearchFilterParser.TimeWindow(from, to), search, paging, violations, cancellationToken).ConfigureAwait(false);
        return ListingResponses.Today(page, context);
    }

    /// <summary>Checks a listing's fields (every violation at once), then fetches its page.</summary>
    private async Task<PageResult> FetchAsync(
        string method, IEnumerable<FilterNode> methodTerms, SearchFields search, PagingFields pagingFields, Violations violations, CancellationToken cancellationToken)
    {
        var paging = PagingParser.Parse(pagingFields, violations);
        if (search.AfterId.Length > 0 && pagingFields.OrderBy.Trim().Length > 0)
        {
            violations.Add("order_by", "must be empty with after_id, which lists events oldest first, in the order they were created", ViolationReasons.Mismatch);
        }

        var criteria = await _criteria.BuildAsync(methodTerms, search, violations, cancellationToken).ConfigureAwait(false);
        if (violations.Any || paging is null || criteria is null)
        {
            throw EventErrors.InvalidRequest(violations);
        }

        if (criteria.AfterSequence is not null)
        {
            paging = paging with { Order = EventOrder.CommitOrder };
        }

        return await _pager.FetchAsync(method, criteria, paging, cancellationToken).ConfigureAwait(false);
    }

    private static void ThrowIfInvalidId(string id)
    {
        var violations = new Violations();
        CheckId(id, violations);
        if (violations.Any)
        {
            throw EventErrors.InvalidRequest(violations);
        }
    }

    private static void CheckId(string id, Violations violations)
    {
        if (id.Length == 0)
        {
            violations.Add("id", "is required", ViolationReasons.Required);
        }
        else if (TextRules.IsLongerThan(id, EventLimits.IdChars))
        {
            violations.Add("id", $"must be at most {EventLimits.IdChars} characters", ViolationReasons.TooLong);
        }
        else if (NulCharacters.In(id))
        {
            violations.Add("id", NulCharacters.Rule, ViolationReasons.InvalidFormat);
        }
    }

    // Etags are short tokens minted here; anything longer was never one of ours.
    private static void CheckEtag(string etag, Violations violations)
    {
        if (etag.Length > EventLimits.EtagChars)
        {
            violations.Add("etag", $"must be at most {EventLimits.EtagChars} characters", ViolationReasons.TooLong);
        }
        else if (NulCharacters.In(etag))
        {
            violations.Add("etag", NulCharacters.Rule, ViolationReasons.InvalidFormat);
        }
    }

    /// <summary>Whether a call whose token was cancelled was stopped by its deadline (grpc-timeout).</summary>
    private bool StoppedByDeadline(ServerCallContext context) =>
        context.Deadline <= _clock.Now().UtcDateTime;

    /// <summary>
    /// Runs a write handler through <see cref="GuardAsync{T}"/> and logs it once at Information
    /// with the event id, the caller and the outcome ("created", "folded", "updated", ... or the
    /// status code it ended with).
    /// </summary>
    private async Task<T> GuardWriteAsync<T>(string method, string scope, string eventId, ServerCallContext context, Func<Caller, WriteAudit, CancellationToken, Task<T>> call)
    {
        var audit = new WriteAudit { EventId = eventId.Length > 0 ? eventId : "-" };
        try
        {
            return await GuardAsync(method, scope, context, (caller, cancellationToken) => call(caller, audit, cancellationToken), audit).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            audit.Outcome = StatusNames.Of(e.StatusCode);
            throw;
        }
        finally
        {
            EventLog.EventWritten(_logger, method, audit.EventId, audit.Caller, audit.Outcome);
        }
    }

    /// <summary>
    /// Runs a handler with the call's caller and token (cancelled when the client cancels or
    /// leaves, or the deadline passes). A caller that cannot be identified is UNAUTHENTICATED,
    /// one without <paramref name="scope"/> PERMISSION_DENIED. Turns a store outage into
    /// UNAVAILABLE (its cause is logged, never sent), and a call stopped by its token into
    /// DEADLINE_EXCEEDED when its deadline has passed, CANCELLED otherwise, logged at Debug: none
    /// is a fault of the handler, so none reaches the framework as an error.
    /// </summary>
    private async Task<T> GuardAsync<T>(string method, string scope, ServerCallContext context, Func<Caller, CancellationToken, Task<T>> call, WriteAudit? audit = null)
    {
        var callCancelled = context.CancellationToken;
        try
        {
            var caller = await _identity.IdentifyAsync(context).ConfigureAwait(false);
            audit?.Identified(caller);
            EventAccess.RequireScope(caller, scope, method);
            return await call(caller, callCancelled).ConfigureAwait(false);
        }
        catch (CallerUnknownException e)
        {
            throw EventErrors.Unauthenticated(e.Reason, e.Message);
        }
        catch (CallerCheckUnavailableException e)
        {
            EventLog.CallerCheckUnavailable(_logger, method, e);
            throw EventErrors.IssuerUnavailable();
        }
        catch (StoreUnavailableException e)
        {
            EventLog.StoreUnavailable(_logger, method, e);
            throw EventErrors.StoreUnavailable();
        }
        catch (OperationCanceledException) when (callCancelled.IsCancellationRequested)
        {
            EventLog.CallCancelled(_logger, method);
            throw StoppedByDeadline(context) ? EventErrors.DeadlineExceeded() : EventErrors.Cancelled();
        }
    }

    /// <summary>What a write handler reports for its log line.</summary>
    private sealed class WriteAudit
    {
        public string EventId { get; set; } = "-";

        public string Caller { get; private set; } = "unauthenticated";

        public string Outcome { get; set; } = "UNKNOWN";

        public void Identified(Caller caller) => Caller = caller.Name.Length > 0 ? caller.Name : "anonymous";

        public void Done(string eventId, string outcome)
        {
            EventId = eventId;
            Outcome = outcome;
        }
    }
}
