using Tracker.Api.V1Alpha1;

namespace Tracker.Events.Storage;

/// <summary>
/// What to find: every non-null filter must match. The event time is start_date, or
/// created_at where the event has none; From and To bound it inclusively.
/// </summary>
public sealed record EventFilter
{
    public string? Source { get; init; }
    public Api.V1Alpha1.Type? Type { get; init; }
    public Priority? Priority { get; init; }
    public Status? Status { get; init; }
    public string? Service { get; init; }
    public Api.V1Alpha1.Environment? Environment { get; init; }
    public Impact? Impact { get; init; }
    public string? Owner { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }

    public static EventFilter None { get; } = new();
}

/// <summary>The sortable keys. Each is stored as a 64-bit integer column.</summary>
public enum EventSortField
{
    /// <summary>created_at, in microseconds since the Unix epoch.</summary>
    CreatedAt,

    /// <summary>The event time (start_date, else created_at), in microseconds since the Unix epoch.</summary>
    EventTime,

    /// <summary>The priority number (0 when unset).</summary>
    Priority,
}

/// <summary>The order: a key, then the id in the same direction to break ties.</summary>
public sealed record EventOrder(EventSortField Field, bool Descending)
{
    public static EventOrder NewestFirst { get; } = new(EventSortField.CreatedAt, Descending: true);
}

/// <summary>A keyset position: the sort key and id of the last event of the previous page.</summary>
public sealed record EventCursor(long SortKey, string Id);

/// <summary>
/// One page: either Offset (page-number paging) or After (keyset paging) is used, never both.
/// </summary>
public sealed record EventQuery(EventFilter Filter, EventOrder Order, int Limit, int Offset = 0, EventCursor? After = null);

/// <summary>One page of stored events, and how many events match in all.</summary>
public sealed class EventPage(IReadOnlyList<StoredEvent> stored, long totalCount)
{
    private IReadOnlyList<Event>? _events;

    public IReadOnlyList<StoredEvent> Stored { get; } = stored;

    public long TotalCount { get; } = totalCount;

    /// <summary>The page's events, decoded on first use.</summary>
    public IReadOnlyList<Event> Events => _events ??= Stored.Select(e => e.Decode()).ToArray();
}
