using System.Buffers.Text;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Paging;
using Tracker.Events.Storage;
using Tracker.Events.Tests.Support;
using Xunit;

namespace Tracker.Events.Tests.Paging;

public sealed class PageTokenCodecTests
{
    private const ulong Fingerprint = 0x0123_4567_89AB_CDEF;

    private static EventCursor Cursor(long sortKey, string id) => new([FilterValue.Of(sortKey)], id);

    [Theory]
    [InlineData(1_705_312_800_000_000L, "01890a5d-ac96-774b-bcce-b302099a8057")]
    [InlineData(0L, "x")]
    [InlineData(-62_135_596_800_000_000L, "an id with spaces and ünïcode")]
    [InlineData(long.MaxValue, "01890a5d-ac96-774b-bcce-b302099a8057")]
    public void Decode_EncodedCursor_ReturnsTheSameCursor(long sortKey, string id)
    {
        var cursor = Cursor(sortKey, id);

        var result = PageTokenCodec.Decode(PageTokenCodec.Encode(cursor, Fingerprint), Fingerprint);

        Assert.Equal(PageTokenStatus.Valid, result.Status);
        Assert.Equal(cursor.Keys, result.Cursor!.Keys);
        Assert.Equal(cursor.Id, result.Cursor.Id);
    }

    [Fact]
    public void Decode_CursorOfSeveralTextAndNumberKeys_ReturnsTheSameKeys()
    {
        var cursor = new EventCursor([FilterValue.Of(3), FilterValue.Of("payments \u00fc|\"x"), FilterValue.Of(string.Empty), FilterValue.Of(long.MinValue)], "01890a5d-ac96-774b-bcce-b302099a8057");

        var result = PageTokenCodec.Decode(PageTokenCodec.Encode(cursor, Fingerprint), Fingerprint);

        Assert.Equal(PageTokenStatus.Valid, result.Status);
        Assert.Equal(cursor.Keys, result.Cursor!.Keys);
        Assert.Equal(cursor.Id, result.Cursor.Id);
    }

    [Fact]
    public void Encode_AnyCursor_IsUrlSafeWithoutPadding()
    {
        var token = PageTokenCodec.Encode(Cursor(-1, "01890a5d-ac96-774b-bcce-b302099a8057?&=/+"), ulong.MaxValue);

        Assert.Matches("^[A-Za-z0-9_-]+$", token);
    }

    [Fact]
    public void Decode_TokenOfAnotherQuery_ReportsOtherQuery()
    {
        var token = PageTokenCodec.Encode(Cursor(1, "id"), Fingerprint);

        Assert.Equal(PageTokenStatus.OtherQuery, PageTokenCodec.Decode(token, Fingerprint + 1).Status);
    }

    [Theory]
    [InlineData("!!!")]
    [InlineData("A")]
    [InlineData("AAAAA")]
    [InlineData("AAAA====")]
    [InlineData("abc")]
    [InlineData("AAAA")]
    [InlineData("not a token at all")]
    public void Decode_Garbage_ReportsMalformed(string token)
    {
        Assert.Equal(PageTokenStatus.Malformed, PageTokenCodec.Decode(token, Fingerprint).Status);
    }

    [Fact]
    public void Decode_TruncatedOrAlteredToken_ReportsMalformed()
    {
        var token = PageTokenCodec.Encode(Cursor(1, "01890a5d-ac96-774b-bcce-b302099a8057"), Fingerprint);
        var bytes = Base64Url.DecodeFromChars(token);
        bytes[0] = 99; // an unknown version
        var noId = Base64Url.EncodeToString(Base64Url.DecodeFromChars(token).AsSpan(0, 19));
        var badUtf8 = Base64Url.EncodeToString([.. Base64Url.DecodeFromChars(token).AsSpan(0, 19), 0, 2, 0xFF, 0xFE]);

        Assert.Equal(PageTokenStatus.Malformed, PageTokenCodec.Decode(token[..10], Fingerprint).Status);
        Assert.Equal(PageTokenStatus.Malformed, PageTokenCodec.Decode(Base64Url.EncodeToString(bytes), Fingerprint).Status);
        Assert.Equal(PageTokenStatus.Malformed, PageTokenCodec.Decode(noId, Fingerprint).Status);
        Assert.Equal(PageTokenStatus.Malformed, PageTokenCodec.Decode(badUtf8, Fingerprint).Status);
        Assert.Equal(PageTokenStatus.Malformed, PageTokenCodec.Decode(new string('A', 30_000), Fingerprint).Status);
    }

    [Fact]
    public void Decode_AnyByteOfTheTokenChanged_ReportsMalformed()
    {
        var token = PageTokenCodec.Encode(Cursor(1_705_312_800_000_000L, "01890a5d-ac96-774b-bcce-b302099a8057"), Fingerprint);
        var original = Base64Url.DecodeFromChars(token);

        for (var i = 0; i < original.Length; i++)
        {
            var edited = (byte[])original.Clone();
            edited[i] ^= 0x01;
            Assert.Equal(PageTokenStatus.Malformed, PageTokenCodec.Decode(Base64Url.EncodeToString(edited), Fingerprint).Status);
        }
    }

    [Theory]
    [InlineData("=")]
    [InlineData("==")]
    [InlineData("%3D%3D")]
    public void Decode_ValidTokenWithAnythingAppended_ReportsMalformed(string suffix)
    {
        var token = PageTokenCodec.Encode(Cursor(42, "01890a5d-ac96-774b-bcce-b302099a8057"), Fingerprint);

        Assert.Equal(PageTokenStatus.Malformed, PageTokenCodec.Decode(token + suffix, Fingerprint).Status);
    }

    [Fact]
    public void Decode_TokenCutAnywhere_ReportsMalformed()
    {
        var token = PageTokenCodec.Encode(Cursor(42, "01890a5d-ac96-774b-bcce-b302099a8057"), Fingerprint);
        var original = Base64Url.DecodeFromChars(token);

        for (var length = 0; length < original.Length; length++)
        {
            Assert.Equal(PageTokenStatus.Malformed, PageTokenCodec.Decode(Base64Url.EncodeToString(original.AsSpan(0, length)), Fingerprint).Status);
        }
    }
}

public sealed class QueryFingerprintTests
{
    private static readonly EventFilter Filter = new()
    {
        Service = "api",
        Type = Api.V1Alpha1.Type.Deployment,
        From = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
    };

    [Fact]
    public void Compute_SameQuery_SameFingerprint()
    {
        Assert.Equal(
            QueryFingerprint.Compute("SearchEvents", Filter.ToCriteria(), EventOrder.NewestFirst),
            QueryFingerprint.Compute("SearchEvents", (Filter with { }).ToCriteria(), Orders.By(EventField.CreatedAt, true)));
    }

    [Fact]
    public void Compute_AnyPartChanged_DifferentFingerprint()
    {
        var original = QueryFingerprint.Compute("SearchEvents", Filter.ToCriteria(), EventOrder.NewestFirst);
        EventFilter[] otherFilters =
        [
            Filter with { Service = "apj" },
            Filter with { Service = null },
            Filter with { Source = "api" },
            Filter with { Owner = "api" },
            Filter with { Type = Api.V1Alpha1.Type.Drift },
            Filter with { Priority = Priority.P1 },
            Filter with { Status = Status.Done },
            Filter with { Environment = Api.V1Alpha1.Environment.Production },
            Filter with { Impact = Impact.Low },
            Filter with { From = Filter.From!.Value.AddTicks(10) },
            Filter with { To = Filter.From },
        ];

        Assert.All(otherFilters, f => Assert.NotEqual(original, QueryFingerprint.Compute("SearchEvents", f.ToCriteria(), EventOrder.NewestFirst)));
        Assert.NotEqual(original, QueryFingerprint.Compute("ListEvents", Filter.ToCriteria(), EventOrder.NewestFirst));
        Assert.NotEqual(original, QueryFingerprint.Compute("SearchEvents", Filter.ToCriteria(), Orders.By(EventField.CreatedAt, false)));
        Assert.NotEqual(original, QueryFingerprint.Compute("SearchEvents", Filter.ToCriteria(), Orders.By(EventField.Priority, true)));
        Assert.NotEqual(original, QueryFingerprint.Compute("SearchEvents", Filter.ToCriteria() with { Words = ["deploy"] }, EventOrder.NewestFirst));
        Assert.NotEqual(original, QueryFingerprint.Compute("SearchEvents", Filter.ToCriteria() with { AfterSequence = 7 }, EventOrder.NewestFirst));
        Assert.NotEqual(original, QueryFingerprint.Compute("SearchEvents", Filter.ToCriteria(), new EventOrder([new SortKey(EventField.CreatedAt, true), new SortKey(EventField.Title, false)])));
    }

    [Fact]
    public void Compute_ValuesThatImitateSeparators_DifferentFingerprint()
    {
        var a = new EventFilter { Source = "a|1:b", Service = null };
        var b = new EventFilter { Source = "a", Service = "b" };

        Assert.NotEqual(QueryFingerprint.Compute("m", a.ToCriteria(), EventOrder.NewestFirst), QueryFingerprint.Compute("m", b.ToCriteria(), EventOrder.NewestFirst));
    }
}
