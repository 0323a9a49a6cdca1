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
}
