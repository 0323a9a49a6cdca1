using Google.Protobuf;
using Grpc.Health.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tracker.Grpc.Health;
using Tracker.Grpc.Tests.Reflection;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Tracker.Grpc.Tests.Health;

public sealed class GrpcHealthHostingExtensionsTests
{
    [Fact]
    public async Task MapGrpcHealth_Bound_CheckAnswersThroughTheRegistry()
    {
        await using var app = BuildApp();

        var method = app.Services.GetRequiredService<GrpcServiceRegistry>().Find("/grpc.health.v1.Health/Check");

        Assert.NotNull(method);
        Assert.Equal(MethodKind.Unary, method.Kind);
        var response = await method.Unary!(app.Services, new HealthCheckRequest { Service = "grpc.health.v1.Health" }, Calls.Context(method.Path))
            .WaitAsync(Calls.Timeout);
        Assert.Equal(ServingStatus.Serving, Assert.IsType<HealthCheckResponse>(response).Status);
    }

    [Fact]
    public async Task MapGrpcHealth_Bound_BindsListAndWatchWithTheirKinds()
    {
        await using var app = BuildApp();
        var registry = app.Services.GetRequiredService<GrpcServiceRegistry>();

        Assert.Equal(MethodKind.Unary, registry.Find("/grpc.health.v1.Health/List")?.Kind);
        Assert.Equal(MethodKind.ServerStreaming, registry.Find("/grpc.health.v1.Health/Watch")?.Kind);
    }

    [Fact]
    public async Task MapGrpcHealth_ApplicationStopping_EndsOpenWatchesWithNotServing()
    {
        await using var app = BuildApp();
        var watch = app.Services.GetRequiredService<GrpcServiceRegistry>().Find("/grpc.health.v1.Health/Watch")!;
        var responses = new CollectingStreamWriter<IMessage>();
        var call = watch.ServerStreaming!(app.Services, new HealthCheckRequest(), responses, Calls.Context(watch.Path));
        await responses.NextAsync();

        app.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        await call.WaitAsync(Calls.Timeout);
        Assert.Equal(
            [ServingStatus.Serving, ServingStatus.NotServing],
            responses.All.Cast<HealthCheckResponse>().Select(r => r.Status));
    }

    [Fact]
    public async Task AddGrpcHealth_HostSetsStatus_HealthServiceReportsIt()
    {
        await using var app = BuildApp();
        app.Services.GetRequiredService<GrpcHealthStatus>().SetAll(ServingStatus.NotServing);

        var list = app.Services.GetRequiredService<GrpcServiceRegistry>().Find("/grpc.health.v1.Health/List")!;
        var response = (HealthListResponse)await list.Unary!(app.Services, new HealthListRequest(), Calls.Context(list.Path)).WaitAsync(Calls.Timeout);

        Assert.Equal(["", "grpc.health.v1.Health"], response.Statuses.Keys.Order());
        Assert.All(response.Statuses.Values, s => Assert.Equal(ServingStatus.NotServing, s.Status));
    }

    private static WebApplication BuildApp()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddGrpcHealth();
        var app = builder.Build();
        app.MapGrpcHealth();
        return app;
    }
}
