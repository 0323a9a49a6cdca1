using Tracker.Api.V1Alpha1;

namespace Tracker.Events.Folding;

/// <summary>
/// The folding rule (README, "Folding repeated events"), for the stores to apply inside the transaction that finds the
/// keyed event: a new occurrence folds into the newest event of its aggregation_key when that
/// event was last seen within the window; folding adds one to the count and moves last_seen_at,
/// updated_at and the etag to the occurrence's. Kubernetes folds event series the same way
/// (count, first and last timestamp); oVirt's flood rate is the window. A key is per service: the
/// stores look for the newest event of the key and the occurrence's service, so a caller limited
/// to its own services never changes, nor interrupts the series of, another team's event (README, "Securing Tracker").
/// </summary>
public static class EventFolding
{
    /// <summary>Whether <paramref name="occurrence"/> (just stamped by the service) folds into <paramref name="newest"/>, the newest event of its key.</summary>
    public static bool Folds(Event newest, Event occurrence, TimeSpan window) =>
        newest.Attributes?.Service == occurrence.Attributes?.Service
        && LastSeen(newest) >= occurrence.CreatedAt.ToDateTimeOffset() - window;

    /// <summary>The keyed event after folding <paramref name="occurrence"/> into it: count + 1, last_seen_at and updated_at the later of theirs and the occurrence's time, the occurrence's etag and caller (updated_by).</summary>
    public static Event Fold(Event newest, Event occurrence)
    {
        var folded = newest.Clone();

        // Events recorded before folding existed have no count: they were seen once.
        folded.Count = Math.Max(newest.Count, 1) + 1;
        folded.FirstSeenAt ??= newest.CreatedAt;

        // Concurrent occurrences are stamped before they queue for the key: never move backwards.
        folded.LastSeenAt = Later(newest.LastSeenAt ?? newest.CreatedAt, occurrence.CreatedAt);
        folded.UpdatedAt = Later(newest.UpdatedAt, occurrence.CreatedAt);
        folded.Etag = occurrence.Etag;
        folded.UpdatedBy = occurrence.CreatedBy;
        return folded;
    }

    private static Google.Protobuf.WellKnownTypes.Timestamp Later(Google.Protobuf.WellKnownTypes.Timestamp a, Google.Protobuf.WellKnownTypes.Timestamp b) =>
        a.CompareTo(b) >= 0 ? a.Clone() : b.Clone();

    /// <summary>When the event was last seen: last_seen_at, or created_at for events recorded before folding existed.</summary>
    private static DateTimeOffset LastSeen(Event e) => (e.LastSeenAt ?? e.CreatedAt).ToDateTimeOffset();
}
