namespace Tracker.Notifications.Delivery;

/// <summary>
/// Wakes the dispatcher when messages became due outside its own schedule: after a Redeliver put
/// messages back to pending. The dispatcher takes <see cref="Next"/> before it looks for due
/// messages, so a redelivery made while it looks wakes it again at once. Only a hint: the
/// delivery log in the store is the truth, and a dispatcher that misses a wakeup finds the
/// messages on its next scheduled look.
/// </summary>
public sealed class DeliveryWakeup
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next <see cref="Notify"/>.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>Says that messages may be due now.</summary>
    public void Notify() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
