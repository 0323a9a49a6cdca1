using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Paging;
using Tracker.Events.Storage;
using Xunit;

namespace Tracker.Events.Tests.Paging;

/// <summary>The listings built around stored bytes must be the bytes the generated classes write.</summary>
public sealed class ListingEncoderTests
{
    public static TheoryData<int, long, bool, string> Pages => new()
    {
        { 0, 0, true, "" },
        { 1, 1, true, "" },
        { 3, 0, true, "" },
        { 50, 1_000_000, true, "AYkKXaxWd0u8zrMCCZqAVw" },
        { 50, 10_000, false, "AYkKXaxWd0u8zrMCCZqAVw" },
        { 2, long.MaxValue, true, "a token with ünïcode" },
        { 0, 7, false, "t" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public void Encode_AnyPage_WritesTheGeneratedClassesBytes(int eventCount, long total, bool exact, string token)
    {
        var events = Enumerable.Range(0, eventCount).Select(Sample).ToArray();
        var page = new PageResult(events.Select(e => new StoredEvent(e.ToByteArray(), 0)).ToArray(), total, exact, token);
        var relation = exact ? TotalCountRelation.Exact : TotalCountRelation.AtLeast;

        var encoded = ListingEncoder.Encode(page);

        Assert.Equal(new ListEventsResponse { Events = { events }, TotalCount = total, NextPageToken = token, TotalCountRelation = relation }.ToByteArray(), encoded);
        Assert.Equal(new SearchEventsResponse { Events = { events }, TotalCount = total, NextPageToken = token, TotalCountRelation = relation }.ToByteArray(), encoded);
        Assert.Equal(new TodayEventsResponse { Events = { events }, TotalCount = total, NextPageToken = token, TotalCountRelation = relation }.ToByteArray(), encoded);
    }

    [Fact]
    public void Encode_StoredBytes_AreSentAsTheyAre()
    {
        // A document written by a later version, with a field this one does not know.
        var stored = Sample(0).ToByteArray().Concat(new byte[] { 0xF8, 0x3E, 0x01 }).ToArray();

        var response = SearchEventsResponse.Parser.ParseFrom(ListingEncoder.Encode(new PageResult([new StoredEvent(stored, 0)], 1, true, "")));

        Assert.Equal(stored, response.Events.Single().ToByteArray());
    }

    private static Event Sample(int i) => new()
    {
        Title = $"Deploy {i} of payments",
        Id = $"01890a5d-ac96-774b-bcce-{i:D12}",
        Etag = $"etag-{i}",
        CreatedAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2025, 1, 6, 12, 0, i % 60, TimeSpan.Zero)),
        Attributes = new EventAttributes
        {
            Message = "Rolled out to every region",
            Service = "payments",
            Type = Api.V1Alpha1.Type.Deployment,
            Priority = Priority.P2,
            Labels = { ["region"] = "eu-west-1", ["n"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        },
    };
}
