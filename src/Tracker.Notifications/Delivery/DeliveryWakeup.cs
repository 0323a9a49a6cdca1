namespace Tracker.Notifications.Delivery;

/// <summary>
/// Wakes the dispatcher when messages may have become due in this process: after the router
/// routed some, and after a redelivery. A waiter takes <see cref="Next"/> before leasing, so a
/// wake-up that comes while it leases is not lost. Other replicas' messages are found by the
/// dispatcher's poll.
/// </summary>
public sealed class DeliveryWakeup
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next <see cref="Notify"/>.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>Says that messages may be due.</summary>
    public void Notify() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
