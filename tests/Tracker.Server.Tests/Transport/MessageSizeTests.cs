using System.Net;
using Grpc.Core;
using Tracker.Api.V1Alpha1;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.Transport;

/// <summary>The 4 MiB message limit (DESIGN §4), for gRPC messages and REST bodies alike.</summary>
public sealed class MessageSizeTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private const int FourMebibytes = 4 * 1024 * 1024;

    [Fact]
    public async Task CreateEvent_GrpcMessageOver4MiB_ResourceExhausted()
    {
        var request = TestEvents.Deployment();
        request.Attributes.Message = new string('x', FourMebibytes);

        var error = await Assert.ThrowsAsync<RpcException>(() => factory.CreateGrpcClient().CreateEventAsync(request).Bounded());

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task CreateEvent_GrpcMessageJustUnder4MiB_ReachesTheService()
    {
        var request = TestEvents.Deployment();
        request.Attributes.Message = new string('x', FourMebibytes - 1024);

        var error = await Assert.ThrowsAsync<RpcException>(() => factory.CreateGrpcClient().CreateEventAsync(request).Bounded());

        // The transport lets it through; the service's own 16 KiB rule refuses it.
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("attributes.message", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostEvent_BodyOver4MiB_413WithResourceExhaustedStatus()
    {
        var response = await factory.CreateClient().PostRestAsync("/api/v1alpha1/event", PaddedCreateBody(FourMebibytes + 1));

        var status = response.Expect(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(8, status.GetProperty("code").GetInt32());
        Assert.Equal("The request body is larger than the 4194304-byte (4 MiB) limit.", status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task PostEvent_ChunkedBodyOver4MiB_400NamingTheLimit()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1alpha1/event")
        {
            Content = new UnknownLengthContent(System.Text.Encoding.UTF8.GetBytes(PaddedCreateBody(FourMebibytes + 1))),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        // The factory's own client buffers request bodies (to follow redirects), which gives them a length.
        using var response = await factory.Server.CreateClient().SendAsync(request).Bounded();

        var body = await response.Content.ReadAsStringAsync().Bounded();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("""{"code":3,"message":"The request body is larger than the 4194304-byte (4 MiB) limit.","details":[]}""", body);
    }

    [Fact]
    public async Task PostEvent_BodyJustUnder4MiB_IsAccepted()
    {
        var response = await factory.CreateClient().PostRestAsync("/api/v1alpha1/event", PaddedCreateBody(FourMebibytes));

        response.Expect(HttpStatusCode.OK);
    }

    /// <summary>A valid CreateEvent body of exactly <paramref name="bytes"/> bytes, padded with JSON whitespace.</summary>
    private static string PaddedCreateBody(int bytes)
    {
        const string Head = "{\"title\":\"padded\",";
        const string Tail = "\"attributes\":{\"type\":\"TYPE_DRIFT\",\"service\":\"api\"}}";
        return Head + new string(' ', bytes - Head.Length - Tail.Length) + Tail;
    }

    /// <summary>A body sent without Content-Length (chunked), so the server learns its size only by reading it.</summary>
    private sealed class UnknownLengthContent(byte[] data) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(data).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
