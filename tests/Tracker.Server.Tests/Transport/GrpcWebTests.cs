using Grpc.Core;
using Grpc.Net.Client.Web;
using Tracker.Api.V1Alpha1;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.Transport;

/// <summary>gRPC-Web (binary and base64 text), as browsers call EventService, over HTTP/1.1.</summary>
public sealed class GrpcWebTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    [Theory]
    [InlineData(GrpcWebMode.GrpcWeb)]
    [InlineData(GrpcWebMode.GrpcWebText)]
    public async Task CreateThenGetEvent_GrpcWeb_RoundTrips(GrpcWebMode mode)
    {
        var client = factory.CreateGrpcWebClient(mode);

        var created = await client.CreateEventAsync(TestEvents.Deployment()).Bounded();
        var read = await client.GetEventAsync(new GetEventRequest { Id = created.Id }).Bounded();

        Assert.Equal(created, read);
    }

    [Theory]
    [InlineData(GrpcWebMode.GrpcWeb)]
    [InlineData(GrpcWebMode.GrpcWebText)]
    public async Task GetEvent_UnknownIdOverGrpcWeb_NotFoundWithDetails(GrpcWebMode mode)
    {
        var client = factory.CreateGrpcWebClient(mode);
        var id = Guid.NewGuid().ToString();

        var error = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => client.GetEventAsync(new GetEventRequest { Id = id }).Bounded());

        Assert.Equal(Grpc.Core.StatusCode.NotFound, error.StatusCode);
        Assert.Equal(id, error.GetRpcStatus()!.GetDetail<Google.Rpc.ResourceInfo>()!.ResourceName);
    }
}
