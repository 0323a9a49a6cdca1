namespace Tracker.Grpc.Transport;

/// <summary>
/// A call's deadline: a timer on the injected clock that cancels the handler's token and
/// completes <see cref="Expired"/> when the client's grpc-timeout runs out.
/// </summary>
internal sealed class CallDeadline : IDisposable
{
    // Timers cannot wait longer than about 49 days; a longer timeout is as good as none.
    private static readonly TimeSpan LongestTimer = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly TaskCompletionSource _expired = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ITimer _timer;

    private CallDeadline(TimeProvider clock, TimeSpan timeout, CancellationTokenSource toCancel)
    {
        At = clock.GetUtcNow() + timeout;
        _timer = clock.CreateTimer(
            _ =>
            {
                _expired.TrySetResult();
                try
                {
                    toCancel.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // The call ended just before the deadline; nothing is left to cancel.
                }
            },
            null,
            timeout,
            Timeout.InfiniteTimeSpan);
    }

    public DateTimeOffset At { get; }

    public Task Expired => _expired.Task;

    public bool IsExpired => _expired.Task.IsCompleted;

    /// <summary>A deadline for the timeout, or null when it is too far away to matter.</summary>
    public static CallDeadline? Start(TimeProvider clock, TimeSpan timeout, CancellationTokenSource toCancel) =>
        timeout > LongestTimer ? null : new CallDeadline(clock, timeout, toCancel);

    public void Dispose() => _timer.Dispose();
}
