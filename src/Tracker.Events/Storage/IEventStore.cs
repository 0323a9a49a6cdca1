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

    /// <summary>Whether the store answers now (readiness).</summary>
    Task<bool> IsReachableAsync(CancellationToken cancellationToken);
}

public enum DeleteOutcome
{
    Deleted,
    NotFound,
    EtagMismatch,
}
