namespace Tracker.Notifications.Delivery;

/// <summary>
/// Message ids: "msg_" and a UUIDv7 in its usual hyphenated form, so that the ids of one channel's
/// log sort, as text, in the order they were made (the store lists the log by id). Standard
/// Webhooks sends it as webhook-id; it stays the same on every attempt and redelivery.
/// </summary>
public static class MessageIds
{
    public const string Prefix = "msg_";

    /// <summary>A new id for a message made at <paramref name="now"/>.</summary>
    public static string New(DateTimeOffset now) => Prefix + Guid.CreateVersion7(now).ToString();
}
