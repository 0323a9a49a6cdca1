using Tracker.Api.V1Alpha1;

namespace Tracker.Events.Storage;

/// <summary>
/// An event as a store read it: its protobuf encoding, and its commit position (the order
/// after_id walks). gRPC listings send the document on as it is (see
/// <see cref="Paging.ListingResponses"/>); only what needs the fields decodes it.
/// </summary>
public sealed class StoredEvent(byte[] document, long sequence)
{
    public byte[] Document { get; } = document;

    /// <summary>Increases with every create, in commit order: an event committed later has a larger one.</summary>
    public long Sequence { get; } = sequence;

    public Event Decode() => Event.Parser.ParseFrom(Document);
}
