using Tracker.Api.V1Alpha1;

namespace Tracker.Events.Storage;

/// <summary>
/// One committed change to one event, as the change log holds it (README, "Watching events"): its position,
/// what happened, the event's protobuf encoding after the change (for a delete, as it was last
/// stored), the commit time, and for an update the encoding before it. Positions come from the same counter as
/// <see cref="StoredEvent.Sequence"/>: a create's change has the event's own sequence, and every
/// change committed later has a larger position, on every replica.
/// </summary>
public sealed record EventChange(long Sequence, ChangeType Type, byte[] Document, DateTimeOffset ChangedAt, byte[]? PreviousDocument = null)
{
    public Event Decode() => Event.Parser.ParseFrom(Document);

    /// <summary>For an update, the event as it was before it (so a watcher can tell that it left its filter); otherwise null.</summary>
    public Event? DecodePrevious() => PreviousDocument is { } previous ? Event.Parser.ParseFrom(previous) : null;
}

/// <summary>
/// Where the change log stands: <see cref="Last"/>, the position of the newest committed change
/// (0 when none); <see cref="PurgedThrough"/>, the newest position retention has removed (0 when
/// none). A reader resuming after a position below <see cref="PurgedThrough"/> would miss changes.
/// </summary>
public sealed record ChangeLogBounds(long Last, long PurgedThrough);
