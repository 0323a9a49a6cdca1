using System.Globalization;
using System.Threading.RateLimiting;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Tracker.Server.Transport;

namespace Tracker.Server.Limits;

/// <summary>
/// The answer to a call the limiter refused: RESOURCE_EXHAUSTED with a google.rpc.RetryInfo
/// (how long to wait) and an ErrorInfo (RATE_LIMITED: the caller's token bucket is empty;
/// OVERLOADED: every slot and queue place is taken), as a gRPC or gRPC-Web status, or for REST
/// as HTTP 429 with the same Status as the body; both with a Retry-After header in whole seconds
/// (RFC 9110 section 10.2.3), and gRPC also with grpc-retry-pushback-ms, which gRPC clients with a
/// retry policy for RESOURCE_EXHAUSTED wait before retrying (gRPC proposal A6, "Pushback").
/// </summary>
internal sealed class RateLimitRejection(LimitsOptions limits)
{
    /// <summary>How long an overloaded server asks callers to wait: its queue drains in well under this.</summary>
    private static readonly TimeSpan OverloadRetryDelay = TimeSpan.FromSeconds(1);

    // Under overload the same refusal goes out thousands of times a second: it is built once.
    private readonly Refusal _readsOverloaded = Refusal.Of(
        $"The server is at its limit of {limits.MaxConcurrentRequests} concurrent reads with {limits.EffectiveQueueLength} waiting (Limits:MaxConcurrentRequests, Limits:QueueLength). Retry after {Seconds(OverloadRetryDelay)} s.",
        "OVERLOADED",
        OverloadRetryDelay);

    private readonly Refusal _writesOverloaded = Refusal.Of(
        $"The server is at its limit of {limits.MaxConcurrentWrites} concurrent writes with {limits.EffectiveWriteQueueLength} waiting (Limits:MaxConcurrentWrites, Limits:QueueLength). Retry after {Seconds(OverloadRetryDelay)} s.",
        "OVERLOADED",
        OverloadRetryDelay);

    public Task WriteAsync(HttpContext context, RateLimitLease lease)
    {
        var refusal = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero
            ? Refusal.Of(
                $"Too many calls from this caller: the limit is {limits.PerCaller.PermitsPerSecond.ToString(CultureInfo.InvariantCulture)} per second, in bursts of at most {limits.PerCaller.EffectiveBurst} (Limits:PerCaller). Retry after {Seconds(retryAfter)} s.",
                "RATE_LIMITED",
                retryAfter)
            : CallerPartitions.IsWrite(context) ? _writesOverloaded : _readsOverloaded;

        context.Response.Headers.RetryAfter = refusal.RetryAfterSeconds;
        if (!GrpcStatusResponse.IsGrpc(context.Request))
        {
            return RestStatusBody.WriteAsync(context.Response, StatusCodes.Status429TooManyRequests, refusal.Status);
        }

        context.Response.Headers["grpc-retry-pushback-ms"] = refusal.PushbackMilliseconds;
        return GrpcStatusResponse.WriteAsync(context.Response, refusal.Encoded);
    }

    private static string Seconds(TimeSpan delay) => ((int)Math.Ceiling(delay.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>One refusal's status and header values.</summary>
    private sealed record Refusal(Google.Rpc.Status Status, GrpcStatusResponse.EncodedStatus Encoded, string RetryAfterSeconds, string PushbackMilliseconds)
    {
        public static Refusal Of(string message, string reason, TimeSpan delay)
        {
            var status = new Google.Rpc.Status
            {
                Code = (int)Code.ResourceExhausted,
                Message = message,
                Details =
                {
                    Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(delay) }),
                    Any.Pack(new ErrorInfo { Reason = reason, Domain = "tracker" }),
                },
            };
            return new Refusal(status, GrpcStatusResponse.Encode(status), Seconds(delay), ((long)Math.Ceiling(delay.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture));
        }
    }
}
