using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Tracker.Events.Access;
using Tracker.Events.Pipeline;
using Tracker.Events.Tests.Support;
using Xunit;

namespace Tracker.Events.Tests.Service;

/// <summary>The call pipeline's refusals that no host configuration reaches: a method without a registration.</summary>
public sealed class EventCallPipelineTests
{
    private readonly EventCallPipeline _pipeline = new(new OpenCallerIdentity(), new FakeTimeProvider(), NullLogger<EventRpcService>.Instance);

    [Theory]
    [InlineData("/tracker.event.v1alpha1.EventService/Test")]
    [InlineData("/some.other.Service/Method")]
    public async Task UnaryServerHandler_MethodNotRegistered_PermissionDeniedWithoutRunningTheHandler(string method)
    {
        var ran = false;

        var e = await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => _pipeline.UnaryServerHandler<string, string>(
            "request",
            new TestCallContext(CancellationToken.None, method),
            (_, _) =>
            {
                ran = true;
                return Task.FromResult("ran");
            }));

        Assert.False(ran);
        Assert.Contains("no access rule", e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerStreamingServerHandler_MethodNotRegistered_PermissionDeniedWithoutRunningTheHandler()
    {
        var ran = false;

        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => _pipeline.ServerStreamingServerHandler<string, string>(
            "request",
            null!,
            new TestCallContext(CancellationToken.None, "/tracker.event.v1alpha1.EventService/Unlisted"),
            (_, _, _) =>
            {
                ran = true;
                return Task.CompletedTask;
            }));

        Assert.False(ran);
    }

    [Fact]
    public void Registry_EveryEventServiceMethod_HasAScopeAndIsNotPublic()
    {
        foreach (var method in Api.V1Alpha1.EventService.Descriptor.Methods)
        {
            var registration = RpcRegistry.Find($"/{method.Service.FullName}/{method.Name}");
            Assert.True(registration is { IsPublic: false }, $"{method.FullName} has no scope in RpcRegistry.");
        }
    }
}
