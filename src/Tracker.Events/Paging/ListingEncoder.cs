using Google.Protobuf;

namespace Tracker.Events.Paging;

/// <summary>
/// Encodes a listing response (List, Search and Today share its fields: events = 1,
/// total_count = 2, next_page_token = 3, total_count_relation = 4) around the events' stored
/// bytes, which go in as they are. The bytes are those the generated class writes for the same
/// response: fields in number order, defaults left out.
/// </summary>
internal static class ListingEncoder
{
    private const int EventsField = 1;
    private const int TotalCountField = 2;
    private const int NextPageTokenField = 3;
    private const int TotalCountRelationField = 4;

    public static byte[] Encode(PageResult page)
    {
        // Never the default (UNSPECIFIED), so always written.
        var relation = (int)ListingResponses.Relation(page);
        var size = 0;
        foreach (var stored in page.Events)
        {
            size += TagSize(EventsField) + CodedOutputStream.ComputeLengthSize(stored.Document.Length) + stored.Document.Length;
        }

        if (page.TotalCount != 0)
        {
            size += TagSize(TotalCountField) + CodedOutputStream.ComputeInt64Size(page.TotalCount);
        }

        if (page.NextPageToken.Length != 0)
        {
            size += TagSize(NextPageTokenField) + CodedOutputStream.ComputeStringSize(page.NextPageToken);
        }

        size += TagSize(TotalCountRelationField) + CodedOutputStream.ComputeEnumSize(relation);

        var bytes = new byte[size];
        var output = new CodedOutputStream(bytes);
        foreach (var stored in page.Events)
        {
            output.WriteTag(EventsField, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(UnsafeByteOperations.UnsafeWrap(stored.Document));
        }

        if (page.TotalCount != 0)
        {
            output.WriteTag(TotalCountField, WireFormat.WireType.Varint);
            output.WriteInt64(page.TotalCount);
        }

        if (page.NextPageToken.Length != 0)
        {
            output.WriteTag(NextPageTokenField, WireFormat.WireType.LengthDelimited);
            output.WriteString(page.NextPageToken);
        }

        output.WriteTag(TotalCountRelationField, WireFormat.WireType.Varint);
        output.WriteEnum(relation);

        output.CheckNoSpaceLeft();
        return bytes;
    }

    private static int TagSize(int field) => CodedOutputStream.ComputeTagSize(field);
}
