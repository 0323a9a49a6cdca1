using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;

namespace Tracker.Server.Tests.Support;

/// <summary>
/// Puts the real event store behind switches a test turns: unreachable (readiness fails, as when
/// PostgreSQL is down), and queries or creates held until the call's token cancels them, which it
/// records.
/// </summary>
public sealed class StoreGate
{
    private readonly TaskCompletionSource _queryCancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _queryHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _createHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether <see cref="IEventStore.IsReachableAsync"/> answers true.</summary>
    public bool Reachable { get; set; } = true;

    /// <summary>Whether queries wait for their cancellation instead of running.</summary>
    public bool HoldQueries { get; set; }

    /// <summary>Whether creates wait for their cancellation instead of being written.</summary>
    public bool HoldCreates { get; set; }

    /// <summary>Completes once a held create has begun.</summary>
    public Task CreateHeld => _createHeld.Task;

    /// <summary>Completes once a held query has begun.</summary>
    public Task QueryHeld => _queryHeld.Task;

    /// <summary>Completes once a held query's token was cancelled.</summary>
    public Task QueryCancelled => _queryCancelled.Task;

    public IEventStore Wrap(IEventStore store) => new GatedStore(store, this);

    private sealed class GatedStore(IEventStore inner, StoreGate gate) : IEventStore
    {
        public Task MigrateAsync(CancellationToken cancellationToken) => inner.MigrateAsync(cancellationToken);

        public async Task<Event> CreateAsync(Event newEvent, string? requestId, CancellationToken cancellationToken)
        {
            await HoldCreateAsync(cancellationToken);
            return await inner.CreateAsync(newEvent, requestId, cancellationToken);
        }

        public async Task<Event> CreateOrFoldAsync(Event newEvent, string? requestId, TimeSpan window, CancellationToken cancellationToken)
        {
            await HoldCreateAsync(cancellationToken);
            return await inner.CreateOrFoldAsync(newEvent, requestId, window, cancellationToken);
        }

        private async Task HoldCreateAsync(CancellationToken cancellationToken)
        {
            if (gate.HoldCreates)
            {
                gate._createHeld.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
        }

        public Task<Event?> GetAsync(string id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

        public Task<bool> ReplaceAsync(Event updated, string expectedEtag, CancellationToken cancellationToken) =>
            inner.ReplaceAsync(updated, expectedEtag, cancellationToken);

        public Task<DeleteOutcome> DeleteAsync(string id, string? expectedEtag, CancellationToken cancellationToken) =>
            inner.DeleteAsync(id, expectedEtag, cancellationToken);

        public async Task<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken)
        {
            if (gate.HoldQueries)
            {
                gate._queryHeld.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    gate._queryCancelled.TrySetResult();
                    throw;
                }
            }

            return await inner.QueryAsync(query, cancellationToken);
        }

        public Task<long?> FindSequenceAsync(string id, CancellationToken cancellationToken) => inner.FindSequenceAsync(id, cancellationToken);

        public Task<IReadOnlyList<EventChange>> ReadChangesAsync(long afterSequence, int limit, CancellationToken cancellationToken) =>
            inner.ReadChangesAsync(afterSequence, limit, cancellationToken);

        public Task<ChangeLogBounds> GetChangeLogBoundsAsync(CancellationToken cancellationToken) => inner.GetChangeLogBoundsAsync(cancellationToken);

        public Task<int> PurgeChangesAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken) =>
            inner.PurgeChangesAsync(cutoff, limit, cancellationToken);

        public Task<IReadOnlyDictionary<Tracker.Api.V1Alpha1.Type, int>> DeleteExpiredAsync(IReadOnlyList<ExpiryCutoff> cutoffs, int limit, CancellationToken cancellationToken) =>
            inner.DeleteExpiredAsync(cutoffs, limit, cancellationToken);

        public async Task<bool> IsReachableAsync(CancellationToken cancellationToken) =>
            gate.Reachable && await inner.IsReachableAsync(cancellationToken);
    }
}
