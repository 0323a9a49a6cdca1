using Grpc.Core;

namespace Tracker.Events.Access;

/// <summary>
/// Tells the service who made a call. The host registers one that reads the call's bearer
/// credentials when authentication is on; without it every call is <see cref="Caller.Open"/>.
/// </summary>
public interface ICallerIdentity
{
    /// <summary>
    /// The caller of <paramref name="context"/>. Throws <see cref="CallerUnknownException"/>
    /// (answered UNAUTHENTICATED) when the call has no credentials, or credentials that are
    /// unknown, malformed or expired.
    /// </summary>
    ValueTask<Caller> IdentifyAsync(ServerCallContext context);
}

/// <summary>Authentication off: every call is <see cref="Caller.Open"/>.</summary>
internal sealed class OpenCallerIdentity : ICallerIdentity
{
    public ValueTask<Caller> IdentifyAsync(ServerCallContext context) => ValueTask.FromResult(Caller.Open);
}
