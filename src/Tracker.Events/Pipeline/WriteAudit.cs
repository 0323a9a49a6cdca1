using Grpc.Core;
using Tracker.Events.Access;

namespace Tracker.Events.Pipeline;

/// <summary>
/// What an audited call (<see cref="RpcRegistration.Audited"/>) reports for its one log line:
/// the event id (the request's until the handler names the one it wrote), the caller and the
/// outcome ("created", "folded", "updated", ... or the status code the call ended with).
/// </summary>
internal sealed class WriteAudit
{
    private static readonly object Key = typeof(WriteAudit);

    private WriteAudit(string eventId) => EventId = eventId;

    public string EventId { get; private set; }

    public string Caller { get; private set; } = "unauthenticated";

    public string Outcome { get; set; } = "UNKNOWN";

    /// <summary>Starts the audit of a call, kept in its UserState for the handler.</summary>
    public static WriteAudit Begin(ServerCallContext context, object request)
    {
        var audit = new WriteAudit(request is ITargetsEvent { Id.Length: > 0 } target ? target.Id : "-");
        context.UserState[Key] = audit;
        return audit;
    }

    /// <summary>Records what the handler did; does nothing for a call that is not audited.</summary>
    public static void Done(ServerCallContext context, string eventId, string outcome)
    {
        if (context.UserState.TryGetValue(Key, out var found) && found is WriteAudit audit)
        {
            audit.EventId = eventId;
            audit.Outcome = outcome;
        }
    }

    public void Identified(Caller caller) => Caller = caller.Name.Length > 0 ? caller.Name : "anonymous";
}

/// <summary>A request that names the event it writes, so its audit line names it even when the call fails early.</summary>
internal interface ITargetsEvent
{
    string Id { get; }
}
