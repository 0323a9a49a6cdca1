using Tracker.Api.V1Alpha1;

namespace Tracker.Events.Access;

/// <summary>
/// The authorization rules, applied to every transport alike: each method needs its scope, and a
/// caller limited to some services may create, update and delete only events of those services
/// (reads are not limited). Failures are PERMISSION_DENIED with an ErrorInfo naming what the
/// caller lacks, never anything about the event (AIP-211).
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

    /// <summary>
    /// Checked first, before anything about the stored event (its etag, the merged event's
    /// validity): throws PERMISSION_DENIED (SERVICE_NOT_ALLOWED) unless <paramref name="caller"/>
    /// may write the event <paramref name="current"/>, read as stored. A missing event
    /// (<paramref name="current"/> null) is refused too when the caller is limited to some
    /// services and may not read events: its permission cannot be told, and a NOT_FOUND would
    /// tell it which ids exist (AIP-211: NOT_FOUND only for a caller who may read the collection).
    /// The refusal names the method's <paramref name="scope"/> and the <paramref name="id"/> sent.
    /// </summary>
    public static void RequireWritable(Caller caller, string scope, string id, Event? current)
    {
        var allowed = current is null
            ? caller.Services.IsAny || caller.Holds(EventScopes.Read)
            : caller.Services.Allow(ServiceOf(current));
        if (!allowed)
        {
            throw EventErrors.ServiceNotAllowed(scope, id, caller.Services);
        }
    }

    /// <summary>
    /// Throws PERMISSION_DENIED (SERVICE_NOT_ALLOWED) unless <paramref name="caller"/> may write
    /// events of the service <paramref name="written"/> will have: a new event (<paramref name="id"/>
    /// null), or an update's result.
    /// </summary>
    public static void RequireService(Caller caller, string scope, string? id, Event written)
    {
        if (!caller.Services.Allow(ServiceOf(written)))
        {
            throw EventErrors.ServiceNotAllowed(scope, id, caller.Services);
        }
    }

    /// <summary>
    /// Checked when a write names a new related_id, before the event is validated: for a caller
    /// limited to some services that may not read events, a related_id naming no event and one
    /// naming an event of another service get the same PERMISSION_DENIED (SERVICE_NOT_ALLOWED) as
    /// <see cref="RequireWritable"/>, so that related_id cannot tell such a caller which ids exist
    /// or whose they are (AIP-211). Other callers may read any event, and are told as GetEvent
    /// would tell them.
    /// </summary>
    public static void RequireRelatable(Caller caller, string scope, string? id, Event? related)
    {
        if (caller.Services.IsAny || caller.Holds(EventScopes.Read))
        {
            return;
        }

        if (related is null || !caller.Services.Allow(ServiceOf(related)))
        {
            throw EventErrors.ServiceNotAllowed(scope, id, caller.Services);
        }
    }

    /// <summary>Throws as <see cref="RequireService(Caller, string, string?, Event)"/> for a new event's service as the request names it.</summary>
    public static void RequireService(Caller caller, string scope, string service)
    {
        if (!caller.Services.Allow(service))
        {
            throw EventErrors.ServiceNotAllowed(scope, eventId: null, caller.Services);
        }
    }

    private static string ServiceOf(Event stored) => stored.Attributes?.Service ?? string.Empty;
}
