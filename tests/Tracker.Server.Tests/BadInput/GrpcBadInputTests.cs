using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Tracker.Api.V1Alpha1;
using Tracker.Server.Tests.Support;
using StatusCode = Grpc.Core.StatusCode;

namespace Tracker.Server.Tests.BadInput;

/// <summary>
/// Whole classes of bad gRPC input: each answers INVALID_ARGUMENT, or INTERNAL for a message that
/// does not decompress (as grpc-go, grpc-java and C-core answer), never UNKNOWN, and logs no
/// Error with a stack trace.
/// </summary>
public sealed class GrpcBadInputTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private const string Service = "tracker.event.v1alpha1.EventService";

    private readonly EventService.EventServiceClient _client = factory.CreateGrpcClient();

    /// <summary>Compressed payloads that are not one whole gzip member of a message.</summary>
    public static TheoryData<string, byte[]> CorruptGzipPayloads
    {
        get
        {
            var whole = RawGrpc.Gzip(TestEvents.Deployment().ToByteArray());
            var flipped = whole.ToArray();
            flipped[^5] ^= 0xFF;
            return new()
            {
                { "garbage", [1, 2, 3, 4, 5, 6, 7, 8] },
                { "header only", whole[..10] },
                { "header then garbage", [.. whole[..10], 0xFF, 0xFF, 0xFF, 0xFF] },
                { "unknown method byte", [0x1F, 0x8B, 0x63, .. whole[3..]] },
                { "cut in the data", whole[..(whole.Length / 2)] },
                { "cut in the trailer", whole[..^3] },
                { "wrong CRC-32", flipped },
                { "trailing bytes", [.. whole, 0x00, 0x01] },
                { "empty", [] },
            };
        }
    }

    [Theory]
    [MemberData(nameof(CorruptGzipPayloads))]
    public async Task CreateEvent_CorruptGzipMessage_InternalNamingTheEncoding(string damage, byte[] payload)
    {
        var mark = factory.Logs.Mark();

        var response = await RawGrpc.SendAsync(factory.Server.CreateClient(), Service, "CreateEvent", RawGrpc.Frame(payload, compressedFlag: 1), ("grpc-encoding", "gzip"));

        Assert.True(response.GrpcStatus == StatusCode.Internal, $"{damage}: {response}");
        Assert.Equal("The request message is not valid gzip data (grpc-encoding: gzip).", response.GrpcMessage);
        Assert.Empty(factory.Logs.ErrorsWithExceptionsSince(mark));
    }

    /// <summary>Bytes that are not the protobuf encoding of a CreateEventRequest.</summary>
    public static TheoryData<string, byte[]> MalformedProtobuf => new()
    {
        { "invalid wire type 7", [0x0F] },
        { "field number 0", [0x02, 0x00] },
        { "varint cut short", [0x08, 0xFF] },
        { "length past the end", [0x0A, 0x20, 0x41] },
        { "string not UTF-8", [0x0A, 0x02, 0xFF, 0xFE] },
        { "nested message cut short", [0x12, 0x05, 0x0A, 0x09, 0x41] },
        { "end group without start", [0x0C] },
        { "varint over 10 bytes", [0x20, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01] },
    };

    [Theory]
    [MemberData(nameof(MalformedProtobuf))]
    public async Task CreateEvent_MalformedProtobuf_InternalNamingTheMessageType(string damage, byte[] payload)
    {
        var mark = factory.Logs.Mark();

        var response = await RawGrpc.SendAsync(factory.Server.CreateClient(), Service, "CreateEvent", RawGrpc.Frame(payload));

        Assert.True(response.GrpcStatus == StatusCode.Internal, $"{damage}: {response}");
        Assert.Equal("The request message is not a valid tracker.event.v1alpha1.CreateEventRequest (protobuf encoding).", response.GrpcMessage);
        Assert.Empty(factory.Logs.ErrorsWithExceptionsSince(mark));
    }

    [Fact]
    public async Task GetEvent_MalformedProtobufInsideGzip_Internal()
    {
        var response = await RawGrpc.SendAsync(factory.Server.CreateClient(), Service, "GetEvent", RawGrpc.Frame(RawGrpc.Gzip([0x0A, 0x02, 0xFF, 0xFE]), compressedFlag: 1), ("grpc-encoding", "gzip"));

        Assert.True(response.GrpcStatus == StatusCode.Internal, response.ToString());
        Assert.Equal("The request message is not a valid tracker.event.v1alpha1.GetEventRequest (protobuf encoding).", response.GrpcMessage);
    }

    [Fact]
    public async Task CreateEvent_DeflateMessage_UnimplementedOfferingGzip()
    {
        var response = await RawGrpc.SendAsync(factory.Server.CreateClient(), Service, "CreateEvent", RawGrpc.Frame([0xFF, 0xFF], compressedFlag: 1), ("grpc-encoding", "deflate"));

        Assert.True(response.GrpcStatus == StatusCode.Unimplemented, response.ToString());
        Assert.Equal("identity,gzip", response.Header("grpc-accept-encoding"));
    }

    [Fact]
    public async Task CreateEvent_CompressedMessageOver4MiBOnceInflated_ResourceExhausted()
    {
        var mark = factory.Logs.Mark();
        var request = TestEvents.Deployment();
        request.Attributes.Message = new string('x', 5 * 1024 * 1024);
        var compressed = RawGrpc.Gzip(request.ToByteArray());

        var response = await RawGrpc.SendAsync(factory.Server.CreateClient(), Service, "CreateEvent", RawGrpc.Frame(compressed, compressedFlag: 1), ("grpc-encoding", "gzip"));

        Assert.True(compressed.Length < 64 * 1024);
        Assert.True(response.GrpcStatus == StatusCode.ResourceExhausted, response.ToString());
        Assert.Empty(factory.Logs.ErrorsWithExceptionsSince(mark));
    }

    [Fact]
    public async Task ListEvents_AlteredOrTruncatedPageToken_InvalidArgumentNamingPageToken()
    {
        await _client.CreateEventAsync(TestEvents.Deployment()).Bounded();
        await _client.CreateEventAsync(TestEvents.Deployment()).Bounded();
        var token = (await _client.ListEventsAsync(new ListEventsRequest { PageSize = 1 }).Bounded()).NextPageToken;
        var mark = factory.Logs.Mark();

        foreach (var bad in PageTokens.Corrupted(token))
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => _client.ListEventsAsync(new ListEventsRequest { PageSize = 1, PageToken = bad }).Bounded());
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.Equal("page_token", Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations).Field);
        }

        Assert.Empty(factory.Logs.ErrorsWithExceptionsSince(mark));
    }

    [Fact]
    public async Task SearchEvents_UndefinedEnumNumber_InvalidArgumentNamingTheField()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.SearchEventsAsync(new SearchEventsRequest { Type = (global::Tracker.Api.V1Alpha1.Type)99 }).Bounded());

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("type", Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations).Field);
    }

    [Fact]
    public async Task CreateEvent_UndefinedEnumNumberInAttributes_InvalidArgumentNamingTheField()
    {
        var request = TestEvents.Deployment();
        request.Attributes.Severity = (Severity)42;

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.CreateEventAsync(request).Bounded());

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("attributes.severity", Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations).Field);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0, 0, 0 })]
    [InlineData(new byte[] { 0, 0, 0, 0, 100, 1, 2 })]
    public async Task GetEvent_IncompleteFrame_Internal(byte[] body)
    {
        var mark = factory.Logs.Mark();

        var response = await RawGrpc.SendAsync(factory.Server.CreateClient(), Service, "GetEvent", body);

        Assert.True(response.GrpcStatus == StatusCode.Internal, response.ToString());
        Assert.Empty(factory.Logs.ErrorsWithExceptionsSince(mark));
    }

    [Fact]
    public async Task GetEvent_CompressedFlagWithoutEncoding_Internal()
    {
        var response = await RawGrpc.SendAsync(factory.Server.CreateClient(), Service, "GetEvent", RawGrpc.Frame(RawGrpc.Gzip([]), compressedFlag: 1));

        Assert.True(response.GrpcStatus == StatusCode.Internal, response.ToString());
    }
}
