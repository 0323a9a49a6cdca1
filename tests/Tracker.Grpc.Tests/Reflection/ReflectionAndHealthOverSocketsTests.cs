using Grpc.Health.V1;
using Microsoft.AspNetCore.Builder;
using Tracker.Testing;
using Tracker.Testing.Echo;
using V1 = Grpc.Reflection.V1;
using V1Alpha = Grpc.Reflection.V1Alpha;

namespace Tracker.Grpc.Tests.Reflection;

/// <summary>Reflection and health bound by their hosting extensions, called over real sockets.</summary>
public sealed class ReflectionAndHealthOverSocketsTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private GrpcTestClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(
            services => services.AddGrpcReflection().AddGrpcHealth(),
            app =>
            {
                app.UseGrpcRuntime();
                app.MapGrpcHealth();
                app.MapGrpcReflection();
                app.MapGrpcService<EchoServiceImpl>(EchoReflection.Descriptor.Services[0]);
            });
        _client = new GrpcTestClient(_server.Address);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task ServerReflectionInfo_V1StreamOfQuestions_AnswersEachInOrder()
    {
        var frames = new V1.ServerReflectionRequest[]
        {
            new() { ListServices = "" },
            new() { FileContainingSymbol = "testing.echo.v1.EchoService.Count" },
            new() { FileByFilename = "no/such.proto" },
        }.Select(r => GrpcTestClient.Frame(r));

        var result = await _client.SendAsync("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo", frames).WaitAsync(Calls.Timeout);

        Assert.Equal(0, result.Status);
        var answers = result.All(V1.ServerReflectionResponse.Parser).ToArray();
        Assert.Equal(3, answers.Length);
        Assert.Equal(
            ["grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection", "testing.echo.v1.EchoService"],
            answers[0].ListServicesResponse.Service.Select(s => s.Name));
        Assert.Equal(EchoReflection.Descriptor.SerializedData, answers[1].FileDescriptorResponse.FileDescriptorProto[0]);
        Assert.Equal((int)StatusCode.NotFound, answers[2].ErrorResponse.ErrorCode);
    }

    [Fact]
    public async Task ServerReflectionInfo_V1Alpha_AnswersOverTheWire()
    {
        var request = new V1Alpha.ServerReflectionRequest { FileContainingSymbol = "testing.echo.v1.EchoRequest" };

        var result = await _client.CallAsync("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", request).WaitAsync(Calls.Timeout);

        Assert.Equal(0, result.Status);
        var answer = result.Single(V1Alpha.ServerReflectionResponse.Parser);
        Assert.Equal(EchoReflection.Descriptor.SerializedData, Assert.Single(answer.FileDescriptorResponse.FileDescriptorProto));
    }

    [Fact]
    public async Task Check_UnknownService_AnswersNotFoundStatus()
    {
        var result = await _client.CallAsync("/grpc.health.v1.Health/Check", new HealthCheckRequest { Service = "no.such.Service" }).WaitAsync(Calls.Timeout);

        Assert.Equal((int)StatusCode.NotFound, result.Status);
        Assert.Empty(result.Messages);
    }

    [Fact]
    public async Task Watch_ClientDeadline_SendsCurrentStatusThenDeadlineExceeded()
    {
        var result = await _client.CallAsync(
            "/grpc.health.v1.Health/Watch",
            new HealthCheckRequest { Service = "testing.echo.v1.EchoService" },
            new Dictionary<string, string> { ["grpc-timeout"] = "300m" }).WaitAsync(Calls.Timeout);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, result.Single(HealthCheckResponse.Parser).Status);
        Assert.Equal((int)StatusCode.DeadlineExceeded, result.Status);
    }
}
