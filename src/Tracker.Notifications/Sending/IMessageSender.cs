using Tracker.Api.V1Alpha1;

namespace Tracker.Notifications.Sending;

/// <summary>
/// Sends one message to one channel of its kind, once: no retry, no state. The dispatcher decides
/// what an outcome means for the message (README, "Notifications", retries).
/// </summary>
public interface IMessageSender
{
    /// <summary>The kind of channel this sender serves.</summary>
    ChannelKind Kind { get; }

    /// <summary>
    /// Sends <paramref name="payload"/> as message <paramref name="messageId"/> to
    /// <paramref name="channel"/> (as stored: full URL and secret). Never throws for the
    /// receiver's or the network's faults: they are the result. Throws only on cancellation of
    /// <paramref name="cancellationToken"/> (the server stopping).
    /// </summary>
    Task<SendResult> SendAsync(Channel channel, string messageId, WebhookPayload payload, CancellationToken cancellationToken);
}

/// <summary>What a receiver made of one attempt.</summary>
public enum SendOutcome
{
    /// <summary>Accepted: a 2xx, or the SMTP server took the message.</summary>
    Delivered,

    /// <summary>Worth trying again: a connection error, a timeout, 408, 429, 5xx, an SMTP 4xx.</summary>
    Retryable,

    /// <summary>Refused for good: any other 4xx, a redirect (never followed), an SMTP 5xx, a refused target address.</summary>
    Permanent,
}

/// <summary>
/// One attempt's result.
/// </summary>
/// <param name="Outcome">What it means for the message.</param>
/// <param name="StatusCode">The HTTP status (or SMTP reply code); 0 when no response came.</param>
/// <param name="Error">Why it failed, for the delivery log: "HTTP 503", "connection refused", "timed out after 10 s"; never a secret or a response body beyond a short excerpt; null on success.</param>
/// <param name="Latency">From the start of the attempt to the end of the response.</param>
/// <param name="RetryAfter">The receiver's Retry-After (RFC 9110, section 10.2.3), as a delay from now, when it sent one.</param>
public sealed record SendResult(SendOutcome Outcome, int StatusCode, string? Error, TimeSpan Latency, TimeSpan? RetryAfter = null);
