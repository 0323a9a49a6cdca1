using Tracker.Api.V1Alpha1;

namespace Tracker.Events.Storage;

/// <summary>
/// What to find. <see cref="Where"/> must hold; every word of <see cref="Words"/> must start a
/// word of the title or message (full text, case-insensitive); with <see cref="AfterSequence"/>,
/// only events committed after that position are found.
/// </summary>
public sealed record EventCriteria(FilterNode Where, IReadOnlyList<string> Words, long? AfterSequence = null)
{
    public static EventCriteria All { get; } = new(new AllOf([]), []);
}

/// <summary>One sort key and its direction.</summary>
public sealed record SortKey(EventField Field, bool Descending);

/// <summary>
/// The order: its keys in turn, then the id, in the first key's direction, so that no two events
/// tie and keyset paging is stable (AIP-132).
/// </summary>
public sealed record EventOrder(IReadOnlyList<SortKey> Keys)
{
    public static EventOrder NewestFirst { get; } = new([new SortKey(EventField.CreatedAt, Descending: true)]);

    /// <summary>The order after_id lists in: oldest first, as committed.</summary>
    public static EventOrder CommitOrder { get; } = new([new SortKey(EventField.Sequence, Descending: false)]);

    public bool IdDescending => Keys[0].Descending;
}

/// <summary>A keyset position: the sort key values and id of the last event of the previous page.</summary>
public sealed record EventCursor(IReadOnlyList<FilterValue> Keys, string Id);

/// <summary>
/// One page: either Offset (page-number paging) or After (keyset paging) is used, never both.
/// <see cref="CountLimit"/> bounds the count: with it, the store counts at most CountLimit + 1
/// matching rows and reports CountLimit as a lower bound when there are more (after
/// Elasticsearch's track_total_hits); null counts every match exactly.
/// </summary>
public sealed record EventQuery(EventCriteria Criteria, EventOrder Order, int Limit, int Offset = 0, EventCursor? After = null, long? CountLimit = null);

/// <summary>
/// One page of stored events, and how many events match in all: exactly when
/// <see cref="TotalCountExact"/>, else at least <see cref="TotalCount"/> (the query's count limit was reached).
/// </summary>
public sealed class EventPage(IReadOnlyList<StoredEvent> stored, long totalCount, bool totalCountExact = true)
{
    private IReadOnlyList<Event>? _events;

    public IReadOnlyList<StoredEvent> Stored { get; } = stored;

    public long TotalCount { get; } = totalCount;

    /// <summary>False when more events match than the query's <see cref="EventQuery.CountLimit"/>: <see cref="TotalCount"/> is then a lower bound.</summary>
    public bool TotalCountExact { get; } = totalCountExact;

    /// <summary>The page's events, decoded on first use.</summary>
    public IReadOnlyList<Event> Events => _events ??= Stored.Select(e => e.Decode()).ToArray();
}
