using Tracker.Api.V1Alpha1;
using Tracker.Events.Paging;
using Tracker.Events.Querying;
using Tracker.Events.Storage;
using Tracker.Events.Validation;
using Grpc.Core;

namespace Tracker.Events;

public sealed partial class EventRpcService
{
    // ListEvents (AIP-132): a page of events, filtered, searched and ordered as asked.
    public override async Task<ListEventsResponse> ListEvents(ListEventsRequest request, ServerCallContext context)
    {
        var paging = new PagingFields(request.PerPage, request.Page, request.PageSize, request.PageToken, request.OrderBy, request.ExactTotalCount);
        var search = new SearchFields(request.Filter, request.Query, request.Q, request.AfterId);
        var page = await FetchAsync(nameof(ListEvents), [], search, paging, new Violations(), context.CancellationToken).ConfigureAwait(false);
        return ListingResponses.List(page, context);
    }

    // SearchEvents: ListEvents with the MWS search API's named filters (service, type, time range, ...).
    public override async Task<SearchEventsResponse> SearchEvents(SearchEventsRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        var terms = SearchFilterParser.Parse(request, violations);
        var paging = new PagingFields(request.PerPage, request.Page, request.PageSize, request.PageToken, request.OrderBy, request.ExactTotalCount);
        var search = new SearchFields(request.Filter, request.Query, request.Q, request.AfterId);
        var page = await FetchAsync(nameof(SearchEvents), terms, search, paging, violations, context.CancellationToken).ConfigureAwait(false);
        return ListingResponses.Search(page, context);
    }

    // TodayEvents: the events of the current day in the request's time zone (Tracker:TimeZone when none).
    public override async Task<TodayEventsResponse> TodayEvents(TodayEventsRequest request, ServerCallContext context)
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
        var paging = new PagingFields(request.PerPage, request.Page, request.PageSize, request.PageToken, request.OrderBy, request.ExactTotalCount);
        var search = new SearchFields(request.Filter, request.Query, request.Q, AfterId: string.Empty);
        var page = await FetchAsync(nameof(TodayEvents), SearchFilterParser.TimeWindow(from, to), search, paging, violations, context.CancellationToken).ConfigureAwait(false);
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
}
