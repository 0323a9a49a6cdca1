using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tracker.Api.V1Alpha1;
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
/// protos, one file per RPC or group (EventRpcService.Create.cs, .Get, .Update, .Delete, .Listing
/// for List/Search/Today, .Watch). Each handler checks its request, delegates to one small class
/// per job and maps the outcome to a status through <see cref="EventErrors"/>; gRPC, gRPC-Web and
/// REST (JSON transcoding) reach the same handler with the same request message. Identifying the
/// caller, the method's scope, store outages, cancellation, deadlines and the write log line are
/// the call pipeline's (<see cref="Pipeline.EventCallPipeline"/>), which hands each handler its
/// caller. It is bound through <see cref="EventServiceBinding"/>, which answers undecodable
/// request messages INTERNAL. The handlers carry plain comments, not doc comments: the OpenAPI
/// document takes each operation's summary from the proto's comment, which a doc comment on the
/// override would replace.
/// </summary>
[BindServiceMethod(typeof(EventServiceBinding), nameof(EventServiceBinding.BindService))]
public sealed partial class EventRpcService : EventService.EventServiceBase
{
    // Updates of one event queue in this process (EventUpdateGate); without an etag an update
    // retries only when another process (a replica on the same database) wrote first.
    private const int MaxUpdateAttempts = 10;

    private readonly IEventStore _store;
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

    public EventRpcService(IEventStore store, EventWatches watches, TimeProvider timeProvider, IOptions<TrackerOptions> options, ILogger<EventRpcService> logger)
    {
        _store = store;
        _watches = watches;
        _clock = new EventClock(timeProvider);
        _defaultTimeZone = TimeZoneResolver.Find(options.Value.TimeZone)
            ?? throw new InvalidOperationException($"Tracker:TimeZone '{options.Value.TimeZone}' is not an IANA time zone id.");
        _foldWindow = options.Value.FoldWindow;
        _logger = logger;
        _related = new RelatedEventResolver(store);
        _pager = new EventPager(store, options.Value.Search.CountLimit);
        _criteria = new SearchCriteriaBuilder(store);
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
}
