using Google.Protobuf;
using Grpc.Reflection.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Tracker.Grpc.Tests.Reflection;

public sealed class GrpcReflectionHostingExtensionsTests
{
    [Theory]
    [InlineData("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo")]
    [InlineData("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo")]
    public async Task MapGrpcReflection_BothVersions_AreBoundAsDuplexMethodsThatAnswer(string path)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddGrpcReflection();
        await using var app = builder.Build();
        app.MapGrpcReflection();

        var method = app.Services.GetRequiredService<GrpcServiceRegistry>().Find(path);

        Assert.NotNull(method);
        Assert.Equal(MethodKind.DuplexStreaming, method.Kind);
        var responses = new CollectingStreamWriter<IMessage>();
        var request = method.RequestParser.ParseFrom(new ServerReflectionRequest { ListServices = "" }.ToByteString());
        await method.DuplexStreaming!(app.Services, Calls.Stream(request), responses, Calls.Context(path)).WaitAsync(Calls.Timeout);
        var answer = ServerReflectionResponse.Parser.ParseFrom(Assert.Single(responses.All).ToByteString());
        Assert.Equal(
            ["grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"],
            answer.ListServicesResponse.Service.Select(s => s.Name));
    }
}
