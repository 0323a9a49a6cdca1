using Microsoft.Extensions.Time.Testing;
using Tracker.Grpc.Transport;

namespace Tracker.Grpc.Tests.Transport;

public sealed class CallDeadlineTests
{
    [Fact]
    public void Start_BeforeTimeout_NotExpired()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        using var cts = new CancellationTokenSource();
        using var deadline = CallDeadline.Start(clock, TimeSpan.FromSeconds(5), cts)!;

        clock.Advance(TimeSpan.FromSeconds(4.999));

        Assert.False(deadline.IsExpired);
        Assert.False(cts.IsCancellationRequested);
        Assert.Equal(DateTimeOffset.Parse("2026-01-01T00:00:05Z"), deadline.At);
    }

    [Fact]
    public async Task Start_TimeoutPasses_ExpiresAndCancels()
    {
        var clock = new FakeTimeProvider();
        using var cts = new CancellationTokenSource();
        using var deadline = CallDeadline.Start(clock, TimeSpan.FromMilliseconds(100), cts)!;

        clock.Advance(TimeSpan.FromMilliseconds(100));

        await deadline.Expired.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(cts.IsCancellationRequested);
    }

    [Fact]
    public void Start_TimeoutBeyondTimerRange_ReturnsNull()
    {
        using var cts = new CancellationTokenSource();

        Assert.Null(CallDeadline.Start(new FakeTimeProvider(), TimeSpan.FromDays(365), cts));
    }

    [Fact]
    public void Dispose_BeforeTimeout_NeverCancels()
    {
        var clock = new FakeTimeProvider();
        using var cts = new CancellationTokenSource();
        var deadline = CallDeadline.Start(clock, TimeSpan.FromSeconds(1), cts)!;

        deadline.Dispose();
        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.False(cts.IsCancellationRequested);
    }
}
