using System.Globalization;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Microsoft.Extensions.Options;

namespace Tracker.Notifications.Sending;

/// <summary>
/// One HTTP attempt of a webhook or Slack message, and what it means (<see cref="SendOutcome"/>):
/// 2xx delivered; 408, 429, 5xx, connection errors and timeouts retryable; a redirect (never
/// followed), any other status and a refused target address permanent. The whole attempt,
/// connect to the last byte read, has Notifications:AttemptTimeout; at most
/// <see cref="MaxBodyBytes"/> of the response are read, for an excerpt in the error.
/// </summary>
internal sealed class HttpAttempt(IHttpClientFactory clients, IOptions<NotificationOptions> options, TimeProvider time)
{
    /// <summary>The named client of <see cref="IHttpClientFactory"/> built on <see cref="TargetCheckingHandler"/>.</summary>
    public const string ClientName = "Tracker.Notifications";

    /// <summary>How much of a response body is read: 4 KiB.</summary>
    public const int MaxBodyBytes = 4096;

    /// <summary>How much of the body an error quotes, in characters.</summary>
    public const int MaxExcerptChars = 200;

    private readonly NotificationOptions _options = options.Value;

    /// <summary>
    /// Whether <paramref name="url"/> may be sent to under the current settings: null when it
    /// may, else the Permanent reason (a channel stored under other settings).
    /// </summary>
    public string? RefusalOfUrl(string url, out Uri? target)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out target) || target.Scheme is not ("https" or "http"))
        {
            return "the channel's URL is not an absolute http(s) URL";
        }

        return target.Scheme == "http" && !_options.AllowHttp
            ? "the channel's URL is http; set Notifications:AllowHttp to allow it"
            : null;
    }

    /// <summary>Sends <paramref name="request"/> once and classifies what came back. Throws only when <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task<SendResult> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        using var timeout = new CancellationTokenSource(_options.AttemptTimeout, time);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var client = clients.CreateClient(ClientName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token).ConfigureAwait(false);
            var excerpt = await ReadExcerptAsync(response, attempt.Token).ConfigureAwait(false);
            return Classify(response, excerpt, time.GetElapsedTime(started), time.GetUtcNow());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendResult(SendOutcome.Retryable, 0, $"timed out after {Seconds(_options.AttemptTimeout)}", time.GetElapsedTime(started));
        }
        catch (HttpRequestException error) when (Find<TargetRefusedException>(error) is { } refused)
        {
            return new SendResult(SendOutcome.Permanent, 0, refused.Message, time.GetElapsedTime(started));
        }
        catch (Exception error) when (error is HttpRequestException or IOException)
        {
            return new SendResult(SendOutcome.Retryable, 0, Describe(error), time.GetElapsedTime(started));
        }
    }

    /// <summary>The outcome of a response: status, Retry-After and a short excerpt of the body.</summary>
    internal static SendResult Classify(HttpResponseMessage response, string excerpt, TimeSpan latency, DateTimeOffset now)
    {
        var status = (int)response.StatusCode;
        if (status is >= 200 and <= 299)
        {
            return new SendResult(SendOutcome.Delivered, status, null, latency);
        }

        var retryable = status is 408 or 429 or >= 500;
        var error = status is >= 300 and <= 399
            ? $"HTTP {status}: redirects are not followed"
            : excerpt.Length == 0 ? $"HTTP {status}" : $"HTTP {status}: {excerpt}";
        return new SendResult(
            retryable ? SendOutcome.Retryable : SendOutcome.Permanent,
            status,
            error,
            latency,
            retryable ? RetryAfter(response, now) : null);
    }

    /// <summary>
    /// The Retry-After header as a delay from <paramref name="now"/> (RFC 9110, section 10.2.3):
    /// delta-seconds, or an HTTP-date (a past date is zero); null when absent or malformed.
    /// </summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
            _ => null,
        };

    /// <summary>Up to <see cref="MaxBodyBytes"/> of the body, as one line of at most <see cref="MaxExcerptChars"/> characters.</summary>
    private static async Task<string> ReadExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            var buffer = new byte[MaxBodyBytes];
            var filled = 0;
            int read;
            while (filled < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false)) > 0)
            {
                filled += read;
            }

            return Excerpt(Encoding.UTF8.GetString(buffer, 0, filled));
        }
    }

    internal static string Excerpt(string text)
    {
        var line = new StringBuilder(Math.Min(text.Length, MaxExcerptChars + 1));
        foreach (var c in text)
        {
            if (line.Length > MaxExcerptChars)
            {
                break;
            }

            var printable = char.IsControl(c) || char.IsWhiteSpace(c) ? ' ' : c;
            if (printable != ' ' || (line.Length > 0 && line[^1] != ' '))
            {
                line.Append(printable);
            }
        }

        var excerpt = line.ToString().TrimEnd();
        return excerpt.Length > MaxExcerptChars ? string.Concat(excerpt.AsSpan(0, MaxExcerptChars), "...") : excerpt;
    }

    /// <summary>A connection error in words, never with the URL (a Slack URL's path is its secret).</summary>
    private static string Describe(Exception error)
    {
        if (Find<SocketException>(error) is { } socket)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.ConnectionReset => "connection reset",
                SocketError.HostNotFound or SocketError.NoData => "host not found",
                SocketError.TryAgain => "host not found (temporary DNS failure)",
                SocketError.NetworkUnreachable or SocketError.HostUnreachable => "network unreachable",
                SocketError.TimedOut => "connection timed out",
                var code => $"connection error: {code}",
            };
        }

        if (Find<AuthenticationException>(error) is not null)
        {
            return "TLS handshake failed: " + Innermost(error).Message;
        }

        return error is HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded }
            ? "connection closed before a response"
            : "connection error: " + Innermost(error).Message;
    }

    private static T? Find<T>(Exception error)
        where T : Exception
    {
        for (Exception? current = error; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static Exception Innermost(Exception error)
    {
        while (error.InnerException is not null)
        {
            error = error.InnerException;
        }

        return error;
    }

    private static string Seconds(TimeSpan duration) =>
        duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
