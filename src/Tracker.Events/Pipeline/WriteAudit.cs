using Grpc.Core;
using Tracker.Events.Access;

namespace Tracker.Events.Pipeline;

/// <summary>
/// What an audited call (<see cref="RpcRegistration.Audited"/>) reports for its one log line:
/// what it wrote (an event id, or a channel name for ChannelService; the request's until the
/// handler names the one it wrote), the caller and the outcome ("created", "folded", "updated",
/// ... or the status code the call ended with). Never a request's other fields: a channel's
/// secret and URL stay out of the log.
/// </summary>
internal sealed class WriteAudit
{
    private const int MaxLoggedNameChars = 64;
    private static readonly object Key = typeof(WriteAudit);

    private WriteAudit(bool isChannel, string target)
    {
        IsChannel = isChannel;
        Target = target;
    }

    /// <summary>Whether the call writes a channel (its line names the channel) rather than an event.</summary>
    public bool IsChannel { get; }

    /// <summary>The event id or channel name written, "-" while none is known.</summary>
    public string Target { get; private set; }

    public string Caller { get; private set; } = "unauthenticated";

    public string Outcome { get; set; } = "UNKNOWN";

    /// <summary>Starts the audit of a call, kept in its UserState for the handler.</summary>
    public static WriteAudit Begin(ServerCallContext context, object request)
    {
        var audit = request switch
        {
            ITargetsChannel channel => new WriteAudit(isChannel: true, Clipped(channel.ChannelName)),
            ITargetsEvent { Id.Length: > 0 } target => new WriteAudit(isChannel: false, target.Id),
            _ => new WriteAudit(isChannel: false, "-"),
        };
        context.UserState[Key] = audit;
        return audit;
    }

    /// <summary>Records what the handler did; does nothing for a call that is not audited.</summary>
    public static void Done(ServerCallContext context, string target, string outcome)
    {
        if (context.UserState.TryGetValue(Key, out var found) && found is WriteAudit audit)
        {
            audit.Target = target;
            audit.Outcome = outcome;
        }
    }

    public void Identified(Caller caller) => Caller = caller.Name.Length > 0 ? caller.Name : "anonymous";

    // A channel name is checked only in its handler, so a long one is cut here.
    private static string Clipped(string name) => name.Length switch
    {
        0 => "-",
        > MaxLoggedNameChars => string.Concat(name.AsSpan(0, MaxLoggedNameChars), "..."),
        _ => name,
    };
}

/// <summary>A request that names the event it writes, so its audit line names it even when the call fails early.</summary>
internal interface ITargetsEvent
{
    string Id { get; }
}

/// <summary>A ChannelService request that names the channel it writes, for its audit line.</summary>
internal interface ITargetsChannel
{
    string ChannelName { get; }
}
