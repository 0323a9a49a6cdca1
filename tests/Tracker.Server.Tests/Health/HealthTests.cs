using System.Net;
using Grpc.Health.V1;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.Health;

/// <summary>grpc.health.v1 and the HTTP probes, all following the event store's readiness.</summary>
public sealed class HealthTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    [Theory]
    [InlineData("")]
    [InlineData("tracker.event.v1alpha1.EventService")]
    public async Task Check_ServerAndEventService_Serving(string service)
    {
        var client = new Grpc.Health.V1.Health.HealthClient(factory.CreateGrpcChannel());

        var response = await client.CheckAsync(new HealthCheckRequest { Service = service }).Bounded();

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Check_UnknownService_NotFound()
    {
        var client = new Grpc.Health.V1.Health.HealthClient(factory.CreateGrpcChannel());

        var error = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => client.CheckAsync(new HealthCheckRequest { Service = "no.such.Service" }).Bounded());

        Assert.Equal(Grpc.Core.StatusCode.NotFound, error.StatusCode);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task HttpProbe_StoreReachable_200(string path)
    {
        var response = await factory.CreateClient().GetRestAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("Healthy", response.Body);
    }
}
