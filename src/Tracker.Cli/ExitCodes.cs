using Grpc.Core;

namespace Tracker.Cli;

/// <summary>
/// The exit codes of <c>tracker</c>, one per thing a pipeline can do something about. The gRPC
/// status of a failed call picks the code; the table is in <see cref="Help"/> and the README.
/// </summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Ok = 0;

    /// <summary>Anything else: a server fault (INTERNAL, UNKNOWN, DATA_LOSS), an unimplemented call.</summary>
    public const int Unexpected = 1;

    /// <summary>A bad command line, or a request the server refused (INVALID_ARGUMENT, OUT_OF_RANGE).</summary>
    public const int Usage = 2;

    /// <summary>The event does not exist (NOT_FOUND).</summary>
    public const int NotFound = 3;

    /// <summary>No or wrong credentials, or not allowed (UNAUTHENTICATED, PERMISSION_DENIED).</summary>
    public const int Denied = 4;

    /// <summary>
    /// Worth retrying later: the server could not be reached, or was unavailable, overloaded or
    /// too slow (UNAVAILABLE, RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED).
    /// </summary>
    public const int Unavailable = 5;

    /// <summary>The event changed meanwhile (ABORTED: etag mismatch), or the call conflicts with its state (ALREADY_EXISTS, FAILED_PRECONDITION).</summary>
    public const int Conflict = 6;

    /// <summary>Interrupted (Ctrl+C) before it finished, as shells report SIGINT (128 + 2); a watch interrupted exits 0.</summary>
    public const int Interrupted = 130;

    /// <summary>The table shown by <c>tracker --help</c>.</summary>
    public const string Help = """
        Exit codes:
          0    ok
          1    unexpected error (INTERNAL, UNKNOWN, ...)
          2    usage: bad command line or invalid argument (INVALID_ARGUMENT, OUT_OF_RANGE)
          3    not found (NOT_FOUND)
          4    unauthenticated or permission denied (UNAUTHENTICATED, PERMISSION_DENIED)
          5    unavailable: cannot connect, server unavailable, rate limited or timed out
               (UNAVAILABLE, RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED); retry later
          6    conflict: the event changed meanwhile (ABORTED), ALREADY_EXISTS, FAILED_PRECONDITION
          130  interrupted (Ctrl+C); `events watch` exits 0 when interrupted
        """;

    /// <summary>The exit code for a call that ended with <paramref name="status"/>.</summary>
    public static int For(StatusCode status) => status switch
    {
        StatusCode.OK => Ok,
        StatusCode.InvalidArgument or StatusCode.OutOfRange => Usage,
        StatusCode.NotFound => NotFound,
        StatusCode.Unauthenticated or StatusCode.PermissionDenied => Denied,
        StatusCode.Unavailable or StatusCode.ResourceExhausted or StatusCode.DeadlineExceeded => Unavailable,
        StatusCode.Aborted or StatusCode.AlreadyExists or StatusCode.FailedPrecondition => Conflict,
        StatusCode.Cancelled => Interrupted,
        _ => Unexpected,
    };
}
