using Tracker.Notifications.Delivery;
using Tracker.Notifications.Sending;

namespace Tracker.Notifications.Tests.Delivery;

public sealed class RetryScheduleTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-07T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly RetrySchedule Default = new(NotificationOptions.DefaultRetryDelays);

    public static TheoryData<int, double> Delays => new()
    {
        { 1, 5 }, { 2, 300 }, { 3, 1800 }, { 4, 7200 }, { 5, 18_000 }, { 6, 36_000 }, { 7, 36_000 },
    };

    [Theory]
    [MemberData(nameof(Delays))]
    public void NextAttempt_Retryable_TheScheduleDelayPlusAtMostTwentyPercent(int attempts, double seconds)
    {
        var random = new Random(attempts);
        for (var i = 0; i < 100; i++)
        {
            var next = Default.NextAttempt(attempts, Retryable(), Now, random);

            Assert.NotNull(next);
            Assert.InRange((next.Value - Now).TotalSeconds, seconds, seconds * 1.2);
        }
    }

    [Fact]
    public void NextAttempt_AfterTheLastRetry_None()
    {
        Assert.Equal(7, Default.Retries);
        Assert.Null(Default.NextAttempt(8, Retryable(), Now, new Random(1)));
    }

    [Theory]
    [InlineData(SendOutcome.Delivered)]
    [InlineData(SendOutcome.Permanent)]
    public void NextAttempt_NotRetryable_None(SendOutcome outcome) =>
        Assert.Null(Default.NextAttempt(1, new SendResult(outcome, 400, "HTTP 400", TimeSpan.Zero), Now, new Random(1)));

    [Fact]
    public void NextAttempt_LongerRetryAfter_Wins()
    {
        var next = Default.NextAttempt(1, Retryable(TimeSpan.FromMinutes(1)), Now, new Random(1));

        Assert.Equal(Now.AddMinutes(1), next);
    }

    [Fact]
    public void NextAttempt_ShorterRetryAfter_TheScheduleWins()
    {
        var next = Default.NextAttempt(2, Retryable(TimeSpan.FromSeconds(1)), Now, new Random(1));

        Assert.True(next >= Now.AddMinutes(5));
    }

    [Fact]
    public void NextAttempt_HugeRetryAfter_CappedAtADay()
    {
        var next = Default.NextAttempt(1, Retryable(TimeSpan.FromDays(30)), Now, new Random(1));

        Assert.Equal(Now.AddDays(1), next);
    }

    [Fact]
    public void NextAttempt_RetryAfterLongerThanEveryDelay_StillHonoured()
    {
        var brief = new RetrySchedule([TimeSpan.FromMilliseconds(200)]);

        Assert.Equal(Now.AddHours(2), brief.NextAttempt(1, Retryable(TimeSpan.FromHours(2)), Now, new Random(1)));
    }

    private static SendResult Retryable(TimeSpan? retryAfter = null) => new(SendOutcome.Retryable, 503, "HTTP 503", TimeSpan.FromMilliseconds(3), retryAfter);
}
