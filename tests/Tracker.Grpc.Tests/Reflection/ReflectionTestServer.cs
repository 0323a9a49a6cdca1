using Google.Protobuf.Reflection;
using Tracker.Grpc.Health;
using Tracker.Grpc.Reflection;
using Tracker.Grpc.Tests.ReflectionTest.V1;
using V1 = Grpc.Reflection.V1;
using V1Alpha = Grpc.Reflection.V1Alpha;

namespace Tracker.Grpc.Tests.Reflection;

/// <summary>
/// A registry as a host would have it: the test widget service, health, and both reflection
/// versions; and helpers that run one reflection stream against it.
/// </summary>
internal sealed class ReflectionTestServer
{
    public static readonly ServiceDescriptor Widget = WidgetServiceReflection.Descriptor.Services.Single();
    public static readonly ServiceDescriptor Health = global::Grpc.Health.V1.HealthReflection.Descriptor.Services.Single();
    public static readonly ServiceDescriptor ReflectionV1 = V1.ReflectionReflection.Descriptor.Services.Single();
    public static readonly ServiceDescriptor ReflectionV1Alpha = V1Alpha.ReflectionReflection.Descriptor.Services.Single();

    public ReflectionTestServer()
    {
        Registry.Add(Widget, []);
        Registry.Add(Health, ServiceBinder.Bind<HealthService>(Health));
        Registry.Add(ReflectionV1, ServiceBinder.Bind<ServerReflectionV1Service>(ReflectionV1));
        Registry.Add(ReflectionV1Alpha, ServiceBinder.Bind<ServerReflectionV1AlphaService>(ReflectionV1Alpha));
        Responder = new ReflectionResponder(Registry);
    }

    public GrpcServiceRegistry Registry { get; } = new();

    public ReflectionResponder Responder { get; }

    /// <summary>Sends the requests on one v1 stream and returns the responses.</summary>
    public async Task<IReadOnlyList<V1.ServerReflectionResponse>> AskV1(params V1.ServerReflectionRequest[] requests)
    {
        var service = new ServerReflectionV1Service(Responder);
        var responses = new CollectingStreamWriter<V1.ServerReflectionResponse>();
        await service.ServerReflectionInfo(Calls.Stream(requests), responses, Calls.Context("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo"))
            .WaitAsync(Calls.Timeout);
        return responses.All;
    }

    /// <summary>Sends the requests on one v1alpha stream and returns the responses.</summary>
    public async Task<IReadOnlyList<V1Alpha.ServerReflectionResponse>> AskV1Alpha(params V1Alpha.ServerReflectionRequest[] requests)
    {
        var service = new ServerReflectionV1AlphaService(Responder);
        var responses = new CollectingStreamWriter<V1Alpha.ServerReflectionResponse>();
        await service.ServerReflectionInfo(Calls.Stream(requests), responses, Calls.Context("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"))
            .WaitAsync(Calls.Timeout);
        return responses.All;
    }

    /// <summary>Asks one v1 question and returns the one answer.</summary>
    public async Task<V1.ServerReflectionResponse> AskOne(V1.ServerReflectionRequest request) =>
        Assert.Single(await AskV1(request));

    /// <summary>The file names of a file descriptor response, in order, parsed from the sent bytes.</summary>
    public static IReadOnlyList<FileDescriptorProto> Files(V1.ServerReflectionResponse response)
    {
        Assert.Equal(V1.ServerReflectionResponse.MessageResponseOneofCase.FileDescriptorResponse, response.MessageResponseCase);
        return response.FileDescriptorResponse.FileDescriptorProto.Select(FileDescriptorProto.Parser.ParseFrom).ToArray();
    }
}
