using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Tracker.Server.Tests.Support;
using V1 = Grpc.Reflection.V1;
using V1Alpha = Grpc.Reflection.V1Alpha;

namespace Tracker.Server.Tests.Reflection;

/// <summary>Server reflection v1 and v1alpha, which grpcurl and buf curl use to call Tracker without its protos.</summary>
public sealed class ReflectionTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private const string EventService = "tracker.event.v1alpha1.EventService";

    [Fact]
    public async Task ListServices_V1_ListsEventServiceHealthAndReflection()
    {
        var services = await AskV1(new V1.ServerReflectionRequest { ListServices = "" });

        var names = services.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains(EventService, names);
        Assert.Contains("grpc.health.v1.Health", names);
        Assert.Contains("grpc.reflection.v1.ServerReflection", names);
    }

    [Fact]
    public async Task ListServices_V1Alpha_ListsEventService()
    {
        var call = new V1Alpha.ServerReflection.ServerReflectionClient(factory.CreateGrpcChannel()).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new V1Alpha.ServerReflectionRequest { ListServices = "" }).Bounded();
        await call.RequestStream.CompleteAsync().Bounded();

        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).Bounded());
        Assert.Contains(EventService, call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name));
    }

    [Fact]
    public async Task FileContainingSymbol_EventService_DescribesItsMethodsAndHttpRules()
    {
        var response = await AskV1(new V1.ServerReflectionRequest { FileContainingSymbol = EventService });

        var files = response.FileDescriptorResponse.FileDescriptorProto.Select(FileDescriptorProto.Parser.ParseFrom).ToList();
        var serviceFile = files[0];
        Assert.Equal("tracker/event/v1alpha1/event_service.proto", serviceFile.Name);
        Assert.Equal(
            ["CreateEvent", "GetEvent", "UpdateEvent", "DeleteEvent", "ListEvents", "SearchEvents", "TodayEvents", "WatchEvents"],
            serviceFile.Service.Single().Method.Select(m => m.Name));
        Assert.Contains(files, f => f.Name == "tracker/event/v1alpha1/event.proto");
        Assert.Contains(files, f => f.Name == "google/api/annotations.proto");
    }

    [Fact]
    public async Task FileContainingSymbol_Unknown_NotFoundError()
    {
        var response = await AskV1(new V1.ServerReflectionRequest { FileContainingSymbol = "no.such.Symbol" });

        Assert.Equal((int)StatusCode.NotFound, response.ErrorResponse.ErrorCode);
    }

    private async Task<V1.ServerReflectionResponse> AskV1(V1.ServerReflectionRequest request)
    {
        var call = new V1.ServerReflection.ServerReflectionClient(factory.CreateGrpcChannel()).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(request).Bounded();
        await call.RequestStream.CompleteAsync().Bounded();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).Bounded());
        var response = call.ResponseStream.Current;
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None).Bounded());
        return response;
    }
}
