using Tracker.Notifications.Sending;

namespace Tracker.Notifications.Delivery;

/// <summary>
/// When a message is tried again (README, "Notifications", retries): after the n-th failed
/// attempt, the n-th of <see cref="NotificationOptions.RetryDelays"/> plus up to 20% jitter, or
/// the receiver's Retry-After when that is longer (RFC 9110, section 10.2.3; honoured up to
/// <see cref="LongestRetryAfter"/>, so that a receiver cannot park a message for months);
/// after the last one, never (the message is failed). Only retryable outcomes are retried.
/// </summary>
public sealed class RetrySchedule(IReadOnlyList<TimeSpan> delays)
{
    /// <summary>The longest Retry-After honoured: a day.</summary>
    public static readonly TimeSpan LongestRetryAfter = TimeSpan.FromDays(1);

    private const double MaxJitter = 0.2;

    /// <summary>How many retries follow the first attempt.</summary>
    public int Retries => delays.Count;

    /// <summary>
    /// When to try again after <paramref name="attempts"/> attempts (this one included) ended in
    /// <paramref name="result"/>, or null when the message is done (delivered, refused for good,
    /// or out of retries).
    /// </summary>
    public DateTimeOffset? NextAttempt(int attempts, SendResult result, DateTimeOffset now, Random random)
    {
        if (result.Outcome != SendOutcome.Retryable || attempts > delays.Count)
        {
            return null;
        }

        var delay = delays[attempts - 1] * (1 + (random.NextDouble() * MaxJitter));
        if (result.RetryAfter is { } retryAfter && retryAfter > delay)
        {
            delay = retryAfter < LongestRetryAfter ? retryAfter : LongestRetryAfter;
        }

        return now + delay;
    }
}
