using Tracker.Api.V1Alpha1;

namespace Tracker.Events.Storage;

/// <summary>
/// One create waiting for its group commit: a store's writer takes the creates that wait
/// together, writes them in one transaction, then completes each with what that transaction
/// decided for it, or fails them all with the transaction's failure. Its caller awaits
/// <see cref="Outcome"/>, which never runs the caller's continuation on the writer's thread.
/// </summary>
/// <typeparam name="TOutcome">
/// What the writer tells each create: the SQLite store, the event stored (this one, or the first
/// of its request id); the PostgreSQL store, whether the row went in (false when its request id
/// or id was taken).
/// </typeparam>
public sealed class PendingCreate<TOutcome>(Event newEvent, string? requestId)
{
    private readonly TaskCompletionSource<TOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The event to create, its id, timestamps and etag assigned.</summary>
    public Event Event { get; } = newEvent;

    /// <summary>The request id that makes the create idempotent; null when none was given.</summary>
    public string? RequestId { get; } = requestId;

    /// <summary>Completes once the create's transaction committed, or fails with its failure.</summary>
    public Task<TOutcome> Outcome => _outcome.Task;

    /// <summary>Answers the create; a second answer is ignored.</summary>
    public void Complete(TOutcome outcome) => _outcome.TrySetResult(outcome);

    /// <summary>Fails the create; ignored once it was answered.</summary>
    public void Fail(Exception exception) => _outcome.TrySetException(exception);
}
