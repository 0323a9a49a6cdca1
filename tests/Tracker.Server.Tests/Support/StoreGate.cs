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

    /// <summary>The real store, but for the calls the gate's switches change.</summary>
    private sealed class GatedStore(IEventStore inner, StoreGate gate) : DelegatingEventStore(inner)
    {
        public override async Task<Event> CreateAsync(Event newEvent, string? requestId, CancellationToken cancellationToken)
        {
            await HoldCreateAsync(cancellationToken);
            return await base.CreateAsync(newEvent, requestId, cancellationToken);
        }

        public override async Task<Event> CreateOrFoldAsync(Event newEvent, string? requestId, TimeSpan window, CancellationToken cancellationToken)
        {
            await HoldCreateAsync(cancellationToken);
            return await base.CreateOrFoldAsync(newEvent, requestId, window, cancellationToken);
        }

        public override async Task<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken)
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

            return await base.QueryAsync(query, cancellationToken);
        }

        public override async Task<bool> IsReachableAsync(CancellationToken cancellationToken) =>
            gate.Reachable && await base.IsReachableAsync(cancellationToken);

        private async Task HoldCreateAsync(CancellationToken cancellationToken)
        {
            if (gate.HoldCreates)
            {
                gate._createHeld.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
        }
    }
}
