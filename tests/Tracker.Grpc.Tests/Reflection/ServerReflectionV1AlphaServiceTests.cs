using Google.Protobuf;
using V1 = Grpc.Reflection.V1;
using V1Alpha = Grpc.Reflection.V1Alpha;

namespace Tracker.Grpc.Tests.Reflection;

public sealed class ServerReflectionV1AlphaServiceTests
{
    private readonly ReflectionTestServer _server = new();

    [Fact]
    public async Task ServerReflectionInfo_ListServices_ListsBothReflectionVersions()
    {
        var responses = await _server.AskV1Alpha(new V1Alpha.ServerReflectionRequest { ListServices = "" });

        var names = Assert.Single(responses).ListServicesResponse.Service.Select(s => s.Name).ToArray();
        Assert.Contains("grpc.reflection.v1alpha.ServerReflection", names);
        Assert.Contains("grpc.reflection.v1.ServerReflection", names);
    }

    [Fact]
    public async Task ServerReflectionInfo_UnknownSymbol_ReturnsNotFoundError()
    {
        var responses = await _server.AskV1Alpha(new V1Alpha.ServerReflectionRequest { Host = "h", FileContainingSymbol = "nope.Nope" });

        var response = Assert.Single(responses);
        Assert.Equal("h", response.ValidHost);
        Assert.Equal("nope.Nope", response.OriginalRequest.FileContainingSymbol);
        Assert.Equal((int)StatusCode.NotFound, response.ErrorResponse.ErrorCode);
    }

    [Fact]
    public async Task ServerReflectionInfo_EveryKindOfQuestion_AnswersWhatV1AnswersByteForByte()
    {
        V1.ServerReflectionRequest[] questions =
        [
            new() { Host = "x", ListServices = "*" },
            new() { FileByFilename = "reflectiontest/v1/widget_service.proto" },
            new() { FileByFilename = "missing.proto" },
            new() { FileContainingSymbol = "reflectiontest.v1.Widget.Part.Kind" },
            new() { FileContainingSymbol = "missing.Symbol" },
            new() { FileContainingExtension = new V1.ExtensionRequest { ContainingType = "google.protobuf.MethodOptions", ExtensionNumber = 72295728 } },
            new() { FileContainingExtension = new V1.ExtensionRequest { ContainingType = "google.protobuf.MethodOptions", ExtensionNumber = 1 } },
            new() { AllExtensionNumbersOfType = "google.protobuf.MethodOptions" },
            new() { AllExtensionNumbersOfType = "missing.Type" },
            new(),
        ];

        var v1 = await _server.AskV1(questions);
        var v1Alpha = await _server.AskV1Alpha(
            questions.Select(q => V1Alpha.ServerReflectionRequest.Parser.ParseFrom(q.ToByteString())).ToArray());

        Assert.Equal(questions.Length, v1Alpha.Count);
        Assert.Equal(v1.Select(r => r.ToByteString()), v1Alpha.Select(r => r.ToByteString()));
        Assert.Equal(
            V1Alpha.ServerReflectionResponse.MessageResponseOneofCase.FileDescriptorResponse,
            v1Alpha[1].MessageResponseCase);
        Assert.Equal([72295728], v1Alpha[7].AllExtensionNumbersResponse.ExtensionNumber);
    }
}
