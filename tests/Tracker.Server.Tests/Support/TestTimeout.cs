using Grpc.Core;

namespace Tracker.Server.Tests.Support;

/// <summary>Every await in a test is bounded, so a hang fails the test instead of the run.</summary>
public static class TestTimeout
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    public static Task Bounded(this Task task) => task.WaitAsync(Default);

    public static Task<T> Bounded<T>(this Task<T> task) => task.WaitAsync(Default);

    public static Task<T> Bounded<T>(this AsyncUnaryCall<T> call) => call.ResponseAsync.WaitAsync(Default);

    /// <summary>Waits until <paramref name="condition"/> holds, checking every 10 ms, for at most <see cref="Default"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Default);
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
