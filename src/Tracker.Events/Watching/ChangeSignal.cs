namespace Tracker.Events.Watching;

/// <summary>
/// Wakes the change feed when a change may have been committed: after each write of this
/// process, and on each PostgreSQL notification from any replica. A waiter takes
/// <see cref="Next"/> before reading the change log, so a change committed while it reads wakes
/// it again at once.
/// </summary>
public sealed class ChangeSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next <see cref="Notify"/>.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>Says that a change may have been committed.</summary>
    public void Notify() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
