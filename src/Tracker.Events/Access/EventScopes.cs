namespace Tracker.Events.Access;

/// <summary>
/// The scopes that README's "Securing Tracker" defines, as API keys (Auth:ApiKeys:&lt;name&gt;:Scopes) and JWT scope claims
/// name them.
/// </summary>
public static class EventScopes
{
    /// <summary>GetEvent, ListEvents, SearchEvents, TodayEvents and WatchEvents; GetChannel, ListChannels and ListDeliveries.</summary>
    public const string Read = "events:read";

    /// <summary>CreateEvent and UpdateEvent.</summary>
    public const string Write = "events:write";

    /// <summary>DeleteEvent.</summary>
    public const string Delete = "events:delete";

    /// <summary>CreateChannel, UpdateChannel, DeleteChannel, Redeliver and SendTestMessage (ChannelService); its reads need <see cref="Read"/>.</summary>
    public const string NotificationsAdmin = "notifications:admin";

    /// <summary>Every method.</summary>
    public const string Admin = "admin";

    /// <summary>Every scope there is, for configuration checks.</summary>
    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal) { Read, Write, Delete, NotificationsAdmin, Admin };
}
