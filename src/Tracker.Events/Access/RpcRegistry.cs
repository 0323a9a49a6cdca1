using Tracker.Api.V1Alpha1;

namespace Tracker.Events.Access;

/// <summary>Which of the rate limiter's classes a method's calls take (Limits:MaxConcurrentRequests, :MaxConcurrentWrites).</summary>
public enum RpcLimitClass
{
    /// <summary>Never limited: health probes and reflection, which must answer under load.</summary>
    Unlimited,

    /// <summary>A read slot.</summary>
    Read,

    /// <summary>A write slot, of its own pool.</summary>
    Write,

    /// <summary>A stream that lives as long as its client: it draws from the caller's bucket but takes no slot.</summary>
    Watch,
}

/// <summary>How one gRPC method is guarded, limited and logged.</summary>
/// <param name="FullName">The gRPC method path, "/package.Service/Method", as IMethod.FullName and ServerCallContext.Method give it.</param>
/// <param name="Scope">The scope a caller needs (<see cref="EventScopes"/>); null for a public method, which the pipeline passes on without identifying the caller.</param>
/// <param name="Limit">The rate limiter's class.</param>
/// <param name="Audited">Whether each call ends in one Information line naming the event (or channel), the caller and the outcome.</param>
public sealed record RpcRegistration(string FullName, string? Scope, RpcLimitClass Limit, bool Audited)
{
    /// <summary>The method's own name ("CreateEvent"), as log lines and errors name it.</summary>
    public string Name => FullName[(FullName.LastIndexOf('/') + 1)..];

    /// <summary>Whether the pipeline lets calls through without identifying the caller.</summary>
    public bool IsPublic => Scope is null;
}

/// <summary>
/// Every gRPC method the host maps, with its scope, its rate-limiter class and whether it is
/// audited: the one table the call pipeline (<see cref="Pipeline.EventCallPipeline"/>), the rate
/// limiter and the auth tests read. A method missing here is refused by the pipeline
/// (PERMISSION_DENIED), never run unguarded, and a test fails for every mapped method without an entry.
/// </summary>
public static class RpcRegistry
{
    private static readonly string EventServiceName = EventService.Descriptor.FullName;
    private static readonly string ChannelServiceName = ChannelService.Descriptor.FullName;

    /// <summary>Every registered method, EventService's first, then ChannelService's.</summary>
    public static IReadOnlyList<RpcRegistration> All { get; } =
    [
        Event(nameof(EventService.EventServiceBase.CreateEvent), EventScopes.Write, RpcLimitClass.Write, audited: true),
        Event(nameof(EventService.EventServiceBase.GetEvent), EventScopes.Read, RpcLimitClass.Read),
        Event(nameof(EventService.EventServiceBase.UpdateEvent), EventScopes.Write, RpcLimitClass.Write, audited: true),
        Event(nameof(EventService.EventServiceBase.DeleteEvent), EventScopes.Delete, RpcLimitClass.Write, audited: true),
        Event(nameof(EventService.EventServiceBase.ListEvents), EventScopes.Read, RpcLimitClass.Read),
        Event(nameof(EventService.EventServiceBase.SearchEvents), EventScopes.Read, RpcLimitClass.Read),
        Event(nameof(EventService.EventServiceBase.TodayEvents), EventScopes.Read, RpcLimitClass.Read),
        Event(nameof(EventService.EventServiceBase.WatchEvents), EventScopes.Read, RpcLimitClass.Watch),

        // Managing channels needs notifications:admin; reading them (never their secrets) events:read.
        Channel(nameof(ChannelService.ChannelServiceBase.CreateChannel), EventScopes.NotificationsAdmin, RpcLimitClass.Write, audited: true),
        Channel(nameof(ChannelService.ChannelServiceBase.GetChannel), EventScopes.Read, RpcLimitClass.Read),
        Channel(nameof(ChannelService.ChannelServiceBase.ListChannels), EventScopes.Read, RpcLimitClass.Read),
        Channel(nameof(ChannelService.ChannelServiceBase.UpdateChannel), EventScopes.NotificationsAdmin, RpcLimitClass.Write, audited: true),
        Channel(nameof(ChannelService.ChannelServiceBase.DeleteChannel), EventScopes.NotificationsAdmin, RpcLimitClass.Write, audited: true),
        Channel(nameof(ChannelService.ChannelServiceBase.ListDeliveries), EventScopes.Read, RpcLimitClass.Read),
        Channel(nameof(ChannelService.ChannelServiceBase.Redeliver), EventScopes.NotificationsAdmin, RpcLimitClass.Write, audited: true),
        Channel(nameof(ChannelService.ChannelServiceBase.SendTestMessage), EventScopes.NotificationsAdmin, RpcLimitClass.Write, audited: true),

        // Public: health is open to probes by design; reflection is guarded, when Auth:Reflection
        // says so, by its endpoint's authorization policy before any gRPC code runs.
        new("/grpc.health.v1.Health/Check", null, RpcLimitClass.Unlimited, false),
        new("/grpc.health.v1.Health/Watch", null, RpcLimitClass.Unlimited, false),
        new("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo", null, RpcLimitClass.Unlimited, false),
        new("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", null, RpcLimitClass.Unlimited, false),
    ];

    private static readonly Dictionary<string, RpcRegistration> ByFullName = All.ToDictionary(r => r.FullName, StringComparer.Ordinal);

    /// <summary>The registration of <paramref name="fullName"/> ("/package.Service/Method"), or null when it has none.</summary>
    public static RpcRegistration? Find(string fullName) => ByFullName.GetValueOrDefault(fullName);

    private static RpcRegistration Event(string method, string scope, RpcLimitClass limit, bool audited = false) =>
        new($"/{EventServiceName}/{method}", scope, limit, audited);

    private static RpcRegistration Channel(string method, string scope, RpcLimitClass limit, bool audited = false) =>
        new($"/{ChannelServiceName}/{method}", scope, limit, audited);
}
