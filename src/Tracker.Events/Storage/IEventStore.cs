using Tracker.Api.V1Alpha1;

namespace Tracker.Events.Storage;

/// <summary>
/// The storage port. Events are stored whole (the protobuf message) with indexed columns for
/// what is searched. Implementations receive only validated events with id, timestamps and
/// etag already assigned by the domain; they never invent data.
/// </summary>
public interface IEventStore
{
    /// <summary>Creates or upgrades the schema; safe to run twice and from several processes.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores a new event. With a request id already used, stores nothing and returns the event
    /// first created with it.
    /// </summary>
    Task<Event> CreateAsync(Event newEvent, string? requestId, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a new occurrence of a keyed event (its aggregation_key is set), or folds it into the
    /// newest event of that key when <see cref="Folding.EventFolding.Folds"/> says so, replacing
    /// that event with <see cref="Folding.EventFolding.Fold"/>'s result (an UPDATED change). Atomic
    /// across concurrent calls and replicas: occurrences of one key are taken one at a time. With a
    /// request id already used (by a create or a fold), stores nothing and returns that event.
    /// </summary>
    Task<Event> CreateOrFoldAsync(Event newEvent, string? requestId, TimeSpan window, CancellationToken cancellationToken);

    /// <summary>The event with this id, or null.</summary>
    Task<Event?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces an event only if its stored etag is still <paramref name="expectedEtag"/>.
    /// False when the event is gone or was changed meanwhile.
    /// </summary>
    Task<bool> ReplaceAsync(Event updated, string expectedEtag, CancellationToken cancellationToken);

    /// <summary>Deletes an event, only if its etag matches when one is given.</summary>
    Task<DeleteOutcome> DeleteAsync(string id, string? expectedEtag, CancellationToken cancellationToken);

    /// <summary>
    /// One page of the events matching a query, and how many match in all. The whole query runs
    /// in the database as parameterised SQL: the expression, the full-text words, the commit
    /// position, the order (its keys, then the id) and the keyset position.
    /// </summary>
    Task<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken);

    /// <summary>The commit position (<see cref="StoredEvent.Sequence"/>) of the event with this id, or null when there is none.</summary>
    Task<long?> FindSequenceAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// The change log that WatchEvents reads (README, "Watching events"): at most <paramref name="limit"/> changes committed after
    /// position <paramref name="afterSequence"/>, oldest first. Every create, update and delete
    /// appends one in its own transaction, so a reader that walks by position never sees a change
    /// before an earlier one, on any replica.
    /// </summary>
    Task<IReadOnlyList<EventChange>> ReadChangesAsync(long afterSequence, int limit, CancellationToken cancellationToken);

    /// <summary>The newest committed position and the newest one purged (see <see cref="ChangeLogBounds"/>).</summary>
    Task<ChangeLogBounds> GetChangeLogBoundsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Removes the oldest changes committed before <paramref name="cutoff"/>, at most
    /// <paramref name="limit"/> of them in one short transaction, stopping at the first newer one,
    /// and records the newest position removed. Returns how many were removed.
    /// </summary>
    Task<int> PurgeChangesAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Retention (README, "Retention"): deletes at most <paramref name="limit"/> events that have outlived
    /// their retention, in one short transaction: the events of each type in
    /// <paramref name="cutoffs"/> whose updated_at is before that type's cutoff, oldest first,
    /// found through an index on (type, updated_at). Types not in <paramref name="cutoffs"/> are
    /// kept. Each deletion is exactly a <see cref="DeleteAsync"/>: its search rows go, and the
    /// change log gets a DELETED change with the event as last stored, at a position of its own.
    /// Returns how many were deleted per type (a type with none is absent); fewer than
    /// <paramref name="limit"/> in all means no expired event was left, unless a concurrent
    /// writer took some. Throws <see cref="StoreUnavailableException"/> when the database cannot serve.
    /// </summary>
    Task<IReadOnlyDictionary<Api.V1Alpha1.Type, int>> DeleteExpiredAsync(IReadOnlyList<ExpiryCutoff> cutoffs, int limit, CancellationToken cancellationToken);

    /// <summary>Whether the store answers now (readiness).</summary>
    Task<bool> IsReachableAsync(CancellationToken cancellationToken);
}

public enum DeleteOutcome
{
    Deleted,
    NotFound,
    EtagMismatch,
}
