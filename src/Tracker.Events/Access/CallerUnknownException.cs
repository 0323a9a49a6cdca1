namespace Tracker.Events.Access;

/// <summary>
/// A call whose caller cannot be established; the service answers it UNAUTHENTICATED (HTTP 401)
/// with an ErrorInfo whose reason is <see cref="Reason"/>.
/// </summary>
public sealed class CallerUnknownException : Exception
{
    /// <summary>No Authorization header: ErrorInfo reason CREDENTIALS_MISSING.</summary>
    public const string Missing = "CREDENTIALS_MISSING";

    /// <summary>A bearer credential that is unknown, malformed, expired or not for this audience: CREDENTIALS_INVALID.</summary>
    public const string Invalid = "CREDENTIALS_INVALID";

    public CallerUnknownException(string reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    /// <summary><see cref="Missing"/> or <see cref="Invalid"/>.</summary>
    public string Reason { get; }
}
