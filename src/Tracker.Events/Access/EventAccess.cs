namespace Tracker.Events.Access;

/// <summary>
/// The authorization rules of issue 13, applied by the service to every transport alike: each
/// method needs its scope, and a caller limited to some services may create, update and delete
/// only events of those services (reads are not limited). Failures are PERMISSION_DENIED with an
/// ErrorInfo naming what is missing.
/// </summary>
internal static class EventAccess
{
    /// <summary>Throws PERMISSION_DENIED (SCOPE_MISSING) unless <paramref name="caller"/> holds <paramref name="scope"/>.</summary>
    public static void RequireScope(Caller caller, string scope, string method)
    {
        if (!caller.Holds(scope))
        {
            throw EventErrors.ScopeMissing(method, scope);
        }
    }

    /// <summary>Throws PERMISSION_DENIED (SERVICE_NOT_ALLOWED) unless <paramref name="caller"/> may write events of <paramref name="service"/>.</summary>
    public static void RequireService(Caller caller, string service)
    {
        if (!caller.Services.Allow(service))
        {
            throw EventErrors.ServiceNotAllowed(service, caller.Services);
        }
    }
}
