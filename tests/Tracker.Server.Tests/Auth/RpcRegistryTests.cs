using Grpc.AspNetCore.Server;
using Grpc.Health.V1;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Grpc.Reflection.V1Alpha;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Access;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.Auth;

/// <summary>
/// The call pipeline's table (<see cref="RpcRegistry"/>) against what the host maps: every method
/// of every service descriptor the app serves has exactly one entry, and no entry names a method
/// the app does not serve. Health and reflection are entries marked public.
/// </summary>
public sealed class RpcRegistryTests : IAsyncLifetime
{
    private readonly TrackerFactory _factory = new();

    [Fact]
    public void MappedMethods_EveryGrpcEndpoint_HasARegistration()
    {
        var unregistered = MappedMethods().Where(m => RpcRegistry.Find(m) is null).ToArray();

        Assert.True(unregistered.Length == 0, "Mapped gRPC methods without an RpcRegistry entry (the pipeline refuses them): " + string.Join(", ", unregistered));
    }

    [Fact]
    public void Registrations_EveryEntry_NamesAMappedMethod()
    {
        var mapped = MappedMethods().ToHashSet(StringComparer.Ordinal);

        Assert.All(RpcRegistry.All, r => Assert.True(mapped.Contains(r.FullName), $"{r.FullName} is registered but not mapped."));
    }

    [Fact]
    public void ServiceDescriptors_EveryMethod_HasARegistration()
    {
        var descriptors = new[] { EventService.Descriptor, ChannelService.Descriptor, Grpc.Health.V1.Health.Descriptor, ServerReflection.Descriptor };
        var mappedServices = MappedMethods().Select(m => m.Split('/')[1]).ToHashSet(StringComparer.Ordinal);

        foreach (var method in descriptors.SelectMany(d => d.Methods))
        {
            Assert.True(RpcRegistry.Find($"/{method.Service.FullName}/{method.Name}") is not null, $"{method.FullName} has no RpcRegistry entry.");
        }

        // Every service the app maps is one of the descriptors checked here, or its sibling version.
        Assert.All(mappedServices, s => Assert.Contains(descriptors, d => d.FullName == s || d.Name == s.Split('.')[^1]));
    }

    [Fact]
    public void Registrations_EventAndChannelServiceMethods_GuardedAndOthersPublic()
    {
        var guarded = new[] { EventService.Descriptor.FullName, ChannelService.Descriptor.FullName };

        Assert.All(RpcRegistry.All, r => Assert.Equal(guarded.Any(s => r.FullName.StartsWith($"/{s}/", StringComparison.Ordinal)), !r.IsPublic));
    }

    [Fact]
    public void Registrations_ChannelService_ManagementNeedsNotificationsAdminReadsNeedEventsRead()
    {
        var channels = RpcRegistry.All.Where(r => r.FullName.StartsWith($"/{ChannelService.Descriptor.FullName}/", StringComparison.Ordinal)).ToDictionary(r => r.Name);

        Assert.Equal(ChannelService.Descriptor.Methods.Select(m => m.Name).Order(StringComparer.Ordinal), channels.Keys.Order(StringComparer.Ordinal));
        foreach (var write in new[] { "CreateChannel", "UpdateChannel", "DeleteChannel", "Redeliver", "SendTestMessage" })
        {
            Assert.Equal((EventScopes.NotificationsAdmin, RpcLimitClass.Write, true), (channels[write].Scope, channels[write].Limit, channels[write].Audited));
        }

        foreach (var read in new[] { "GetChannel", "ListChannels", "ListDeliveries" })
        {
            Assert.Equal((EventScopes.Read, RpcLimitClass.Read, false), (channels[read].Scope, channels[read].Limit, channels[read].Audited));
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    /// <summary>The gRPC methods the started app routes to, over every transport (transcoded REST endpoints carry the same metadata).</summary>
    private IEnumerable<string> MappedMethods()
    {
        _ = _factory.Server;
        return _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Select(e => e.Metadata.GetMetadata<GrpcMethodMetadata>())
            .OfType<GrpcMethodMetadata>()
            .Select(m => m.Method.FullName)
            .Distinct(StringComparer.Ordinal);
    }
}
