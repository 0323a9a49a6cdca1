using Tracker.Api.V1Alpha1;

namespace Tracker.Events.Storage;

/// <summary>
/// An event as a store read it: its protobuf encoding. gRPC listings send it on as it is (see
/// <see cref="Paging.ListingResponses"/>); only what needs the fields decodes it.
/// </summary>
public sealed class StoredEvent(byte[] document)
{
    public byte[] Document { get; } = document;

    public Event Decode() => Event.Parser.ParseFrom(Document);
}
