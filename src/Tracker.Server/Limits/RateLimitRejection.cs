using System.Globalization;
using System.Threading.RateLimiting;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;

namespace Tracker.Server.Limits;

/// <summary>
/// The answer to a call the limiter refused: RESOURCE_EXHAUSTED with a google.rpc.RetryInfo
/// (how long to wait) and an ErrorInfo (RATE_LIMITED: the caller's token bucket is empty;
/// OVERLOADED: every slot and queue place is taken), as a gRPC or gRPC-Web status, or for REST
/// as HTTP 429 with the same Status as the body; both with a Retry-After header in whole seconds
/// (RFC 9110 section 10.2.3).
/// </summary>
internal sealed class RateLimitRejection(LimitsOptions limits)
{
    /// <summary>How long an overloaded server asks callers to wait: its queue drains in well under this.</summary>
    private static readonly TimeSpan OverloadRetryDelay = TimeSpan.FromSeconds(1);

    public Task WriteAsync(HttpContext context, RateLimitLease lease)
    {
        var rateLimited = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter);
        var delay = rateLimited && retryAfter > TimeSpan.Zero ? retryAfter : OverloadRetryDelay;
        var seconds = (int)Math.Ceiling(delay.TotalSeconds);
        var message = rateLimited
            ? $"Too many calls from this caller: the limit is {limits.PerCaller.PermitsPerSecond.ToString(CultureInfo.InvariantCulture)} per second, in bursts of at most {limits.PerCaller.EffectiveBurst} (Limits:PerCaller). Retry after {seconds} s."
            : $"The server is at its limit of {limits.MaxConcurrentRequests} concurrent calls with {limits.QueueLength} waiting (Limits:MaxConcurrentRequests, Limits:QueueLength). Retry after {seconds} s.";
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.ResourceExhausted,
            Message = message,
            Details =
            {
                Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(delay) }),
                Any.Pack(new ErrorInfo { Reason = rateLimited ? "RATE_LIMITED" : "OVERLOADED", Domain = "tracker" }),
            },
        };

        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return GrpcStatusResponse.IsGrpc(context.Request)
            ? GrpcStatusResponse.WriteAsync(context.Response, status)
            : RestStatusBody.WriteAsync(context.Response, StatusCodes.Status429TooManyRequests, status);
    }
}
