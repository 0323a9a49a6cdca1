using Google.Protobuf;
using Grpc.Core;
using Tracker.Api.V1Alpha1;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.Transport;

/// <summary>gzip message compression (DESIGN §4): responses for clients that accept it, requests from clients that send it.</summary>
public sealed class CompressionTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private const string Service = "tracker.event.v1alpha1.EventService";

    [Fact]
    public async Task GetEvent_ClientAcceptsGzip_ResponseMessageIsGzipCompressed()
    {
        var created = await factory.CreateGrpcClient().CreateEventAsync(TestEvents.Deployment()).Bounded();
        var request = RawGrpc.Frame(new GetEventRequest { Id = created.Id }.ToByteArray());

        var response = await RawGrpc.SendAsync(factory.Server.CreateClient(), Service, "GetEvent", request, ("grpc-accept-encoding", "identity,gzip"));

        Assert.Equal(StatusCode.OK, response.GrpcStatus);
        Assert.Equal("gzip", response.Header("grpc-encoding"));
        Assert.Equal(1, response.Body[0]);
        Assert.Equal(created, Event.Parser.ParseFrom(RawGrpc.Gunzip(response.Body[5..])));
    }

    [Theory]
    [InlineData("application/grpc")]
    [InlineData("application/grpc-web")]
    public async Task GetEvent_AnyGrpcCall_AdvertisesTheAcceptedEncodings(string contentType)
    {
        var created = await factory.CreateGrpcClient().CreateEventAsync(TestEvents.Deployment()).Bounded();
        var request = RawGrpc.Frame(new GetEventRequest { Id = created.Id }.ToByteArray());

        var response = await RawGrpc.SendAsync(factory.Server.CreateClient(), Service, "GetEvent", request, contentType);

        Assert.Equal("identity,gzip", response.Header("grpc-accept-encoding"));
    }

    [Fact]
    public async Task GetEvent_ClientAcceptsNoCompression_ResponseIsPlain()
    {
        var created = await factory.CreateGrpcClient().CreateEventAsync(TestEvents.Deployment()).Bounded();
        var request = RawGrpc.Frame(new GetEventRequest { Id = created.Id }.ToByteArray());

        var response = await RawGrpc.SendAsync(factory.Server.CreateClient(), Service, "GetEvent", request);

        Assert.Equal(StatusCode.OK, response.GrpcStatus);
        Assert.Null(response.Header("grpc-encoding"));
        Assert.Equal(0, response.Body[0]);
        Assert.Equal(created, Event.Parser.ParseFrom(response.Body[5..]));
    }

    [Fact]
    public async Task WatchEvents_ClientAcceptsGzip_MessagesAreSentUncompressed()
    {
        // Each watch message is encoded once for all its watchers; compressing it per watcher was
        // most of the server's processor time with 100 watchers (bench/analysis.md, scenario i).
        var service = "compression-watch-" + Guid.NewGuid().ToString("N")[..8];
        var client = factory.CreateGrpcClient();
        var created = new List<Event>();
        for (var i = 0; i < 3; i++)
        {
            created.Add(await client.CreateEventAsync(TestEvents.Deployment(service: service)).Bounded());
        }

        var request = RawGrpc.Frame(new WatchEventsRequest { Filter = $"service=\"{service}\"", SendInitialEvents = true }.ToByteArray());

        var messages = await RawGrpc.ReadMessagesAsync(factory.Server.CreateClient(), Service, "WatchEvents", request, created.Count, ("grpc-accept-encoding", "identity,gzip"));

        Assert.All(messages, m => Assert.Equal(0, m.CompressedFlag));
        var events = messages.Select(m => WatchEventsResponse.Parser.ParseFrom(m.Payload).Event.Id);
        Assert.Equal(created.Select(e => e.Id).Order(), events.Order());
    }

    [Fact]
    public async Task CreateEvent_GzipCompressedRequest_IsAccepted()
    {
        var request = TestEvents.Deployment();
        var body = RawGrpc.Frame(RawGrpc.Gzip(request.ToByteArray()), compressedFlag: 1);

        var response = await RawGrpc.SendAsync(factory.Server.CreateClient(), Service, "CreateEvent", body, ("grpc-encoding", "gzip"));

        Assert.Equal(StatusCode.OK, response.GrpcStatus);
        Assert.Equal(request.Title, Event.Parser.ParseFrom(response.Body[5..]).Title);
    }

    [Fact]
    public async Task CreateEvent_GrpcNetClientSendingGzip_IsAccepted()
    {
        var client = factory.CreateGrpcClient();
        var headers = new Metadata { { "grpc-internal-encoding-request", "gzip" } };

        var created = await client.CreateEventAsync(TestEvents.Deployment(), headers).Bounded();

        Assert.NotEmpty(created.Id);
    }

    [Fact]
    public async Task CreateEvent_UnsupportedEncoding_UnimplementedAdvertisingGrpcAcceptEncoding()
    {
        var body = RawGrpc.Frame([1, 2, 3], compressedFlag: 1);

        var response = await RawGrpc.SendAsync(factory.Server.CreateClient(), Service, "CreateEvent", body, ("grpc-encoding", "snappy"));

        Assert.Equal(StatusCode.Unimplemented, response.GrpcStatus);
        var accepted = response.Header("grpc-accept-encoding")!.Split(',', StringSplitOptions.TrimEntries);
        Assert.Contains("gzip", accepted);
        Assert.Contains("identity", accepted);
    }
}
