using Tracker.Events.Storage;
using Tracker.Events.Validation;

namespace Tracker.Events.Paging;

/// <summary>
/// Runs one page of a listing against the store, in either paging mode, and mints the token
/// of the next page. A token is a keyset position (sort keys, id), so walking by token while
/// events are added yields every pre-existing event exactly once. The total is counted up to
/// <paramref name="countLimit"/> (Tracker:Search:CountLimit), or exactly when the request asks;
/// whether a next page exists never depends on it.
/// </summary>
internal sealed class EventPager(IEventStore store, long countLimit)
{
    public async Task<PageResult> FetchAsync(string method, EventCriteria criteria, PagingRequest paging, CancellationToken cancellationToken)
    {
        var fingerprint = QueryFingerprint.Compute(method, criteria, paging.Order);
        EventCursor? after = null;
        if (paging.PageToken.Length > 0)
        {
            var decoded = PageTokenCodec.Decode(paging.PageToken, fingerprint);
            after = decoded.Status switch
            {
                PageTokenStatus.Valid when Fits(decoded.Cursor!, paging.Order) => decoded.Cursor,
                PageTokenStatus.OtherQuery => throw EventErrors.InvalidRequest(
                    "page_token", "belongs to another query; send the same filter, query, q, after_id, other filters and order_by as the page it came from (for TodayEvents, on the same day)", ViolationReasons.Mismatch),
                _ => throw EventErrors.InvalidRequest(
                    "page_token", "is not a page token from this service", ViolationReasons.InvalidFormat),
            };
        }

        // Pages ask for one event more than they show: its presence means a next page, in both
        // paging modes, so that the end is found without the total, which may be a lower bound.
        var offset = (int)Math.Min(paging.Offset, int.MaxValue);
        var query = new EventQuery(
            criteria, paging.Order, paging.Size + 1, paging.UsesToken ? 0 : offset, after,
            CountLimit: paging.ExactTotalCount ? null : countLimit);
        var page = await store.QueryAsync(query, cancellationToken).ConfigureAwait(false);
        if (!page.TotalCountExact && page.Stored.Count == 0 && !paging.UsesToken && offset > 0)
        {
            // A numbered page past the end, beyond the count limit: fewer than its offset match,
            // so counting up to the offset gives the exact total at no more than the page's own
            // walk past the offset cost, where the limit would report less than earlier pages did.
            page = await store.QueryAsync(query with { CountLimit = offset }, cancellationToken).ConfigureAwait(false);
        }


        var events = page.Stored;
        var hasMore = events.Count > paging.Size;
        if (hasMore)
        {
            events = events.Take(paging.Size).ToArray();
        }

        // Only the last event is decoded, for the next page's position.
        var next = hasMore ? NextPageToken(events[^1], paging.Order, fingerprint) : string.Empty;
        var throughThisPage = paging.Offset > 0 && events.Count > 0 ? paging.Offset + events.Count : 0;
        if (!page.TotalCountExact && !hasMore && !paging.UsesToken && throughThisPage > 0)
        {
            // The last numbered page, read in the count's snapshot: the events through its end are all there are.
            return new PageResult(events, throughThisPage, TotalCountExact: true, next);
        }

        return new PageResult(events, TotalCount(page, throughThisPage), page.TotalCountExact, next);
    }

    // Past the count limit the total is the limit, as Elasticsearch caps its count at
    // track_total_hits, on a first page too. A later numbered page (page > 1, per_page) that
    // reaches past the limit proves more: the events through its end (an empty page proves
    // nothing) are reported instead, so that "page N of total / per_page" stays coherent; the
    // last such page knows the exact total (see FetchAsync).
    private static long TotalCount(EventPage page, long throughThisPage) =>
        page.TotalCountExact ? page.TotalCount : Math.Max(page.TotalCount, throughThisPage);

    private static string NextPageToken(StoredEvent last, EventOrder order, ulong fingerprint)
    {
        var decoded = last.Decode();
        var keys = order.Keys.Select(key => key.Field.SortValue(last, decoded)).ToArray();
        return PageTokenCodec.Encode(new EventCursor(keys, decoded.Id), fingerprint);
    }

    // A token minted for this order has one value per key, each of the key's kind.
    private static bool Fits(EventCursor cursor, EventOrder order) =>
        cursor.Keys.Count == order.Keys.Count
        && cursor.Keys.Zip(order.Keys).All(pair => pair.First.IsText == IsText(pair.Second.Field));

    private static bool IsText(EventField field) => field.Kind == FieldKind.Text;
}

/// <summary>
/// One page as the listing responses carry it, its events as stored; <see cref="TotalCount"/> is
/// exact when <see cref="TotalCountExact"/>, else a lower bound.
/// </summary>
internal sealed record PageResult(IReadOnlyList<StoredEvent> Events, long TotalCount, bool TotalCountExact, string NextPageToken);
