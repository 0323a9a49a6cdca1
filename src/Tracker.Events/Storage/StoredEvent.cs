using Tracker.Api.V1Alpha1;

namespace Tracker.Events.Storage;

/// <summary>
/// An event as a store read it: its protobuf encoding, decoded by whoever needs its fields.
/// </summary>
public sealed class StoredEvent(byte[] document)
{
    public byte[] Document { get; } = document;

    public Event Decode() => Event.Parser.ParseFrom(Document);
}
