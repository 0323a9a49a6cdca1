using System.Net;

namespace Tracker.Server.Limits;

/// <summary>How the limiter tells calls apart: by caller, and whether a call is a watch stream.</summary>
internal static class CallerPartitions
{
    /// <summary>
    /// The caller a call is counted against: the authenticated name (API key or token subject),
    /// else the client's address. A call whose credentials fail is counted by address, so a
    /// flood of bad keys is limited too.
    /// </summary>
    public static string KeyOf(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name }
            ? "caller:" + name
            : "address:" + (context.Connection.RemoteIpAddress ?? IPAddress.None);

    /// <summary>
    /// Whether the call is a watch stream (gRPC WatchEvents or REST events:watch), which lives as
    /// long as its client and so is kept out of the concurrency limit.
    /// </summary>
    public static bool IsWatch(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        return path.EndsWith("/WatchEvents", StringComparison.Ordinal) || path.EndsWith("events:watch", StringComparison.Ordinal);
    }
}
