using Tracker.Api.V1Alpha1;

namespace Tracker.Events.Storage;

/// <summary>
/// An <see cref="IEventStore"/> that hands every call, unchanged, to the store it wraps. A
/// decorator or a test double derives from it and overrides only the calls it changes; the
/// rest, and any member the port gains later, pass through.
/// </summary>
public abstract class DelegatingEventStore : IEventStore
{
    /// <param name="inner">The store every call not overridden goes to.</param>
    protected DelegatingEventStore(IEventStore inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        Inner = inner;
    }

    /// <summary>The wrapped store.</summary>
    protected IEventStore Inner { get; }

    public virtual Task MigrateAsync(CancellationToken cancellationToken) =>
        Inner.MigrateAsync(cancellationToken);

    public virtual Task<Event> CreateAsync(Event newEvent, string? requestId, CancellationToken cancellationToken) =>
        Inner.CreateAsync(newEvent, requestId, cancellationToken);

    public virtual Task<Event> CreateOrFoldAsync(Event newEvent, string? requestId, TimeSpan window, CancellationToken cancellationToken) =>
        Inner.CreateOrFoldAsync(newEvent, requestId, window, cancellationToken);

    public virtual Task<Event?> GetAsync(string id, CancellationToken cancellationToken) =>
        Inner.GetAsync(id, cancellationToken);

    public virtual Task<bool> ReplaceAsync(Event updated, string expectedEtag, CancellationToken cancellationToken) =>
        Inner.ReplaceAsync(updated, expectedEtag, cancellationToken);

    public virtual Task<DeleteOutcome> DeleteAsync(string id, string? expectedEtag, CancellationToken cancellationToken) =>
        Inner.DeleteAsync(id, expectedEtag, cancellationToken);

    public virtual Task<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken) =>
        Inner.QueryAsync(query, cancellationToken);

    public virtual Task<long?> FindSequenceAsync(string id, CancellationToken cancellationToken) =>
        Inner.FindSequenceAsync(id, cancellationToken);

    public virtual Task<IReadOnlyList<EventChange>> ReadChangesAsync(long afterSequence, int limit, CancellationToken cancellationToken) =>
        Inner.ReadChangesAsync(afterSequence, limit, cancellationToken);

    public virtual Task<ChangeLogBounds> GetChangeLogBoundsAsync(CancellationToken cancellationToken) =>
        Inner.GetChangeLogBoundsAsync(cancellationToken);

    public virtual Task<int> PurgeChangesAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken) =>
        Inner.PurgeChangesAsync(cutoff, limit, cancellationToken);

    public virtual Task<IReadOnlyDictionary<Api.V1Alpha1.Type, int>> DeleteExpiredAsync(IReadOnlyList<ExpiryCutoff> cutoffs, int limit, CancellationToken cancellationToken) =>
        Inner.DeleteExpiredAsync(cutoffs, limit, cancellationToken);

    public virtual Task<bool> IsReachableAsync(CancellationToken cancellationToken) =>
        Inner.IsReachableAsync(cancellationToken);
}
