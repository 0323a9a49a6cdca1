namespace Tracker.Events.Access;

/// <summary>
/// The caller's credentials could not be checked because what checks them is unreachable (the
/// token issuer's keys cannot be fetched); the service answers UNAVAILABLE, as for a store
/// outage, since the same call may succeed once it is back.
/// </summary>
public sealed class CallerCheckUnavailableException(string message, Exception? cause = null) : Exception(message, cause);
