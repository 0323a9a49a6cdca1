using System.Net;
using Grpc.Core;
using Grpc.Health.V1;
using Tracker.Server.Tests.Support;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Tracker.Server.Tests.Health;

/// <summary>
/// grpc.health.v1 (Check and Watch) and /readyz follow the event store's readiness both ways:
/// an outage is reported, and so is the recovery, with nothing restarted.
/// </summary>
public sealed class StoreReadinessTests
{
    [Theory]
    [InlineData("")]
    [InlineData("tracker.event.v1alpha1.EventService")]
    public async Task Watch_StoreGoesDownThenBack_StreamsNotServingThenServing(string service)
    {
        var gate = new StoreGate();
        await using var factory = new TrackerFactory { Gate = gate };
        var client = new Grpc.Health.V1.Health.HealthClient(factory.CreateGrpcChannel());
        using var stream = client.Watch(new HealthCheckRequest { Service = service }, cancellationToken: CancellationToken.None);

        Assert.Equal(ServingStatus.Serving, await NextStatusAsync(stream));
        gate.Reachable = false;
        Assert.Equal(ServingStatus.NotServing, await NextChangeAsync(stream, ServingStatus.Serving));
        gate.Reachable = true;
        Assert.Equal(ServingStatus.Serving, await NextChangeAsync(stream, ServingStatus.NotServing));
    }

    [Fact]
    public async Task CheckAndReadyz_StoreDown_NotServingAnd503_ThenRecover()
    {
        var gate = new StoreGate();
        await using var factory = new TrackerFactory { Gate = gate };
        var client = new Grpc.Health.V1.Health.HealthClient(factory.CreateGrpcChannel());
        var http = factory.CreateClient();

        gate.Reachable = false;
        Assert.Equal(ServingStatus.NotServing, (await client.CheckAsync(new HealthCheckRequest()).Bounded()).Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetRestAsync("/readyz")).Status);
        Assert.Equal(HttpStatusCode.OK, (await http.GetRestAsync("/healthz")).Status);

        gate.Reachable = true;
        Assert.Equal(ServingStatus.Serving, (await client.CheckAsync(new HealthCheckRequest()).Bounded()).Status);
        Assert.Equal(HttpStatusCode.OK, (await http.GetRestAsync("/readyz")).Status);
    }

    /// <summary>
    /// The next status that differs from <paramref name="current"/>. A stream's opening status is
    /// computed live, and the health publisher's first publish (from no status to SERVING) can
    /// land just after it and repeat it; a repeat says nothing and is read past.
    /// </summary>
    private static async Task<ServingStatus> NextChangeAsync(AsyncServerStreamingCall<HealthCheckResponse> stream, ServingStatus current)
    {
        while (true)
        {
            var status = await NextStatusAsync(stream);
            if (status != current)
            {
                return status;
            }
        }
    }

    private static async Task<ServingStatus> NextStatusAsync(AsyncServerStreamingCall<HealthCheckResponse> stream)
    {
        Assert.True(await stream.ResponseStream.MoveNext(CancellationToken.None).Bounded(), "The Watch stream ended.");
        return stream.ResponseStream.Current.Status;
    }
}
