using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Reflection.V1;
using Tracker.Grpc.Reflection;
using Tracker.Grpc.Tests.ReflectionTest.V1;

namespace Tracker.Grpc.Tests.Reflection;

public sealed class ServerReflectionV1ServiceTests
{
    private const string WidgetServiceFile = "reflectiontest/v1/widget_service.proto";
    private const string WidgetFile = "reflectiontest/v1/widget.proto";
    private const string OptionsFile = "reflectiontest/v1/options.proto";

    private readonly ReflectionTestServer _server = new();

    [Fact]
    public async Task ListServices_BoundServices_ListsEachIncludingReflectionAndHealth()
    {
        var response = await _server.AskOne(new ServerReflectionRequest { ListServices = "*" });

        Assert.Equal(ServerReflectionResponse.MessageResponseOneofCase.ListServicesResponse, response.MessageResponseCase);
        Assert.Equal(
            ["reflectiontest.v1.WidgetService", "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"],
            response.ListServicesResponse.Service.Select(s => s.Name));
    }

    [Fact]
    public void ListServices_ServiceBoundAfterResponderCreated_IsListed()
    {
        var registry = new GrpcServiceRegistry();
        var responder = new ReflectionResponder(registry);
        registry.Add(ReflectionTestServer.Widget, []);

        var response = responder.Answer(new ServerReflectionRequest { ListServices = "" });

        Assert.Equal("reflectiontest.v1.WidgetService", Assert.Single(response.ListServicesResponse.Service).Name);
    }

    [Fact]
    public async Task FileByFilename_ServiceFile_ReturnsItFirstThenEachTransitiveDependencyOnce()
    {
        var response = await _server.AskOne(new ServerReflectionRequest { FileByFilename = WidgetServiceFile });

        var names = ReflectionTestServer.Files(response).Select(f => f.Name).ToArray();
        Assert.Equal(WidgetServiceFile, names[0]);
        Assert.Equal(names.Length, names.Distinct().Count());
        Assert.Equal(
            new[]
            {
                WidgetServiceFile, "google/api/annotations.proto", "google/api/http.proto", "google/protobuf/descriptor.proto",
                WidgetFile, "google/protobuf/timestamp.proto", OptionsFile,
            }.Order(),
            names.Order());
    }

    [Theory]
    [InlineData(WidgetServiceFile)]
    [InlineData(WidgetFile)]
    [InlineData("google/api/annotations.proto")]
    [InlineData("google/protobuf/descriptor.proto")]
    [InlineData("grpc/health/v1/health.proto")]
    [InlineData("grpc/reflection/v1alpha/reflection.proto")]
    public async Task FileByFilename_AnyKnownFile_IsClosedUnderItsImports(string fileName)
    {
        var response = await _server.AskOne(new ServerReflectionRequest { FileByFilename = fileName });

        var files = ReflectionTestServer.Files(response);
        Assert.Equal(fileName, files[0].Name);
        var sent = files.Select(f => f.Name).ToHashSet();
        Assert.Equal(files.Count, sent.Count);
        Assert.All(files.SelectMany(f => f.Dependency), dependency => Assert.Contains(dependency, sent));
    }

    [Fact]
    public async Task FileByFilename_KnownFile_SendsTheGeneratedDescriptorBytes()
    {
        var response = await _server.AskOne(new ServerReflectionRequest { FileByFilename = WidgetFile });

        Assert.Equal(WidgetReflection.Descriptor.SerializedData, response.FileDescriptorResponse.FileDescriptorProto[0]);
    }

    [Theory]
    [InlineData("reflectiontest/v1/nope.proto")]
    [InlineData("widget.proto")]
    [InlineData("")]
    public async Task FileByFilename_UnknownFile_ReturnsNotFoundError(string fileName)
    {
        var response = await _server.AskOne(new ServerReflectionRequest { FileByFilename = fileName });

        Assert.Equal(ServerReflectionResponse.MessageResponseOneofCase.ErrorResponse, response.MessageResponseCase);
        Assert.Equal((int)StatusCode.NotFound, response.ErrorResponse.ErrorCode);
        Assert.Contains($"'{fileName}'", response.ErrorResponse.ErrorMessage);
    }

    [Theory]
    [InlineData("reflectiontest.v1.WidgetService", WidgetServiceFile)]
    [InlineData("reflectiontest.v1.WidgetService.GetWidget", WidgetServiceFile)]
    [InlineData("reflectiontest.v1.WidgetService.WatchWidgets", WidgetServiceFile)]
    [InlineData("reflectiontest.v1.GetWidgetRequest", WidgetServiceFile)]
    [InlineData("reflectiontest.v1.GetWidgetRequest.name", WidgetServiceFile)]
    [InlineData("reflectiontest.v1.Widget", WidgetFile)]
    [InlineData("reflectiontest.v1.Widget.created_at", WidgetFile)]
    [InlineData("reflectiontest.v1.Widget.shape", WidgetFile)]
    [InlineData("reflectiontest.v1.Widget.Part", WidgetFile)]
    [InlineData("reflectiontest.v1.Widget.Part.id", WidgetFile)]
    [InlineData("reflectiontest.v1.Widget.Part.Kind", WidgetFile)]
    [InlineData("reflectiontest.v1.Widget.Part.KIND_GEAR", WidgetFile)]
    [InlineData("reflectiontest.v1.Color", WidgetFile)]
    [InlineData("reflectiontest.v1.COLOR_RED", WidgetFile)]
    [InlineData("reflectiontest.v1.widget_tag", OptionsFile)]
    [InlineData("reflectiontest.v1.Scope", OptionsFile)]
    [InlineData("reflectiontest.v1.Scope.scope_level", OptionsFile)]
    [InlineData("google.api.http", "google/api/annotations.proto")]
    [InlineData("google.api.HttpRule", "google/api/http.proto")]
    [InlineData("google.protobuf.MethodOptions", "google/protobuf/descriptor.proto")]
    [InlineData("google.protobuf.Timestamp", "google/protobuf/timestamp.proto")]
    [InlineData("grpc.health.v1.Health.Watch", "grpc/health/v1/health.proto")]
    [InlineData("grpc.health.v1.HealthCheckResponse.ServingStatus", "grpc/health/v1/health.proto")]
    [InlineData("grpc.health.v1.HealthListResponse.StatusesEntry", "grpc/health/v1/health.proto")]
    [InlineData("grpc.reflection.v1.ServerReflection", "grpc/reflection/v1/reflection.proto")]
    [InlineData("grpc.reflection.v1alpha.ServerReflection", "grpc/reflection/v1alpha/reflection.proto")]
    public async Task FileContainingSymbol_KnownSymbol_ReturnsItsFileFirst(string symbol, string fileName)
    {
        var response = await _server.AskOne(new ServerReflectionRequest { FileContainingSymbol = symbol });

        var files = ReflectionTestServer.Files(response);
        Assert.Equal(fileName, files[0].Name);
        Assert.Equal(files.Count, files.Select(f => f.Name).Distinct().Count());
    }

    [Fact]
    public async Task FileContainingSymbol_Method_ReturnsTheSameFilesAsItsFileByName()
    {
        var bySymbol = await _server.AskOne(new ServerReflectionRequest { FileContainingSymbol = "reflectiontest.v1.WidgetService.GetWidget" });
        var byName = await _server.AskOne(new ServerReflectionRequest { FileByFilename = WidgetServiceFile });

        Assert.Equal(byName.FileDescriptorResponse, bySymbol.FileDescriptorResponse);
    }

    [Theory]
    [InlineData("reflectiontest.v1.Gadget")]
    [InlineData("reflectiontest.v1")]
    [InlineData("reflectiontest.v1.Widget.Part.Kind.KIND_GEAR")]
    [InlineData(".reflectiontest.v1.Widget")]
    [InlineData("Widget")]
    [InlineData("")]
    public async Task FileContainingSymbol_UnknownSymbol_ReturnsNotFoundError(string symbol)
    {
        var response = await _server.AskOne(new ServerReflectionRequest { FileContainingSymbol = symbol });

        Assert.Equal((int)StatusCode.NotFound, response.ErrorResponse.ErrorCode);
        Assert.Contains($"'{symbol}'", response.ErrorResponse.ErrorMessage);
    }

    [Theory]
    [InlineData("google.protobuf.MethodOptions", 72295728, "google/api/annotations.proto")]
    [InlineData("google.protobuf.MessageOptions", 51234, OptionsFile)]
    [InlineData("google.protobuf.FieldOptions", 51235, OptionsFile)]
    public async Task FileContainingExtension_KnownExtension_ReturnsItsFileFirst(string type, int number, string fileName)
    {
        var response = await _server.AskOne(new ServerReflectionRequest
        {
            FileContainingExtension = new ExtensionRequest { ContainingType = type, ExtensionNumber = number },
        });

        var files = ReflectionTestServer.Files(response);
        Assert.Equal(fileName, files[0].Name);
        Assert.Contains("google/protobuf/descriptor.proto", files.Select(f => f.Name));
    }

    [Theory]
    [InlineData("google.protobuf.MethodOptions", 51234)]
    [InlineData("google.protobuf.ServiceOptions", 72295728)]
    [InlineData("reflectiontest.v1.Nope", 1)]
    public async Task FileContainingExtension_UnknownExtension_ReturnsNotFoundError(string type, int number)
    {
        var response = await _server.AskOne(new ServerReflectionRequest
        {
            FileContainingExtension = new ExtensionRequest { ContainingType = type, ExtensionNumber = number },
        });

        Assert.Equal((int)StatusCode.NotFound, response.ErrorResponse.ErrorCode);
        Assert.Contains(type, response.ErrorResponse.ErrorMessage);
    }

    [Theory]
    [InlineData("google.protobuf.MethodOptions", new[] { 72295728 })]
    [InlineData("google.protobuf.MessageOptions", new[] { 51234 })]
    [InlineData("google.protobuf.FieldOptions", new[] { 51235 })]
    [InlineData("google.protobuf.FileOptions", new int[0])]
    [InlineData("reflectiontest.v1.Widget", new int[0])]
    public async Task AllExtensionNumbersOfType_KnownMessage_ReturnsItsExtensionNumbers(string type, int[] numbers)
    {
        var response = await _server.AskOne(new ServerReflectionRequest { AllExtensionNumbersOfType = type });

        Assert.Equal(ServerReflectionResponse.MessageResponseOneofCase.AllExtensionNumbersResponse, response.MessageResponseCase);
        Assert.Equal(type, response.AllExtensionNumbersResponse.BaseTypeName);
        Assert.Equal(numbers, response.AllExtensionNumbersResponse.ExtensionNumber);
    }

    [Theory]
    [InlineData("reflectiontest.v1.Gadget")]
    [InlineData("reflectiontest.v1.Color")]
    [InlineData("reflectiontest.v1.WidgetService")]
    public async Task AllExtensionNumbersOfType_NotAKnownMessage_ReturnsNotFoundError(string type)
    {
        var response = await _server.AskOne(new ServerReflectionRequest { AllExtensionNumbersOfType = type });

        Assert.Equal((int)StatusCode.NotFound, response.ErrorResponse.ErrorCode);
        Assert.Contains($"'{type}'", response.ErrorResponse.ErrorMessage);
    }

    [Fact]
    public async Task ServerReflectionInfo_NoQuestionSet_ReturnsInvalidArgumentNamingTheField()
    {
        var response = await _server.AskOne(new ServerReflectionRequest { Host = "h" });

        Assert.Equal((int)StatusCode.InvalidArgument, response.ErrorResponse.ErrorCode);
        Assert.Contains("message_request", response.ErrorResponse.ErrorMessage);
    }

    [Fact]
    public async Task ServerReflectionInfo_SeveralRequests_AnswersEachInOrderEchoingHostAndRequest()
    {
        ServerReflectionRequest[] requests =
        [
            new() { Host = "a", FileContainingSymbol = "reflectiontest.v1.Widget" },
            new() { Host = "b", FileByFilename = "nope.proto" },
            new() { Host = "c", ListServices = "" },
            new() { Host = "d", AllExtensionNumbersOfType = "google.protobuf.MethodOptions" },
        ];

        var responses = await _server.AskV1(requests);

        Assert.Equal(requests.Length, responses.Count);
        Assert.Equal(requests, responses.Select(r => r.OriginalRequest));
        Assert.Equal(["a", "b", "c", "d"], responses.Select(r => r.ValidHost));
        Assert.Equal(
            [
                ServerReflectionResponse.MessageResponseOneofCase.FileDescriptorResponse,
                ServerReflectionResponse.MessageResponseOneofCase.ErrorResponse,
                ServerReflectionResponse.MessageResponseOneofCase.ListServicesResponse,
                ServerReflectionResponse.MessageResponseOneofCase.AllExtensionNumbersResponse,
            ],
            responses.Select(r => r.MessageResponseCase));
    }

    [Fact]
    public async Task ServerReflectionInfo_CallCancelledWhileWaiting_Ends()
    {
        using var cancellation = new CancellationTokenSource();
        var service = new ServerReflectionV1Service(_server.Responder);
        var responses = new CollectingStreamWriter<ServerReflectionResponse>();
        var call = service.ServerReflectionInfo(
            Calls.OpenStream<ServerReflectionRequest>(), responses, Calls.Context("/m", cancellation.Token));

        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(Calls.Timeout));
        Assert.Empty(responses.All);
    }

    [Fact]
    public async Task FileDescriptorResponse_AllFiles_BuildIntoDescriptorsAgain()
    {
        // What a client does with the answer: rebuild the descriptors from the bytes alone.
        var response = await _server.AskOne(new ServerReflectionRequest { FileContainingSymbol = "reflectiontest.v1.WidgetService" });

        var files = ReflectionTestServer.Files(response);
        var rebuilt = FileDescriptor.BuildFromByteStrings(DependenciesFirst(files).Select(f => f.ToByteString()));

        var service = rebuilt.Single(f => f.Name == WidgetServiceFile).Services.Single();
        Assert.Equal(["GetWidget", "WatchWidgets"], service.Methods.Select(m => m.Name));
        Assert.Equal("reflectiontest.v1.Widget", service.Methods[0].OutputType.FullName);
    }

    // BuildFromByteStrings needs each file after its imports; the answer only promises the asked one first.
    private static List<FileDescriptorProto> DependenciesFirst(IReadOnlyList<FileDescriptorProto> files)
    {
        var ordered = new List<FileDescriptorProto>();
        while (ordered.Count < files.Count)
        {
            var ready = files.First(f => !ordered.Contains(f) && f.Dependency.All(d => ordered.Any(o => o.Name == d)));
            ordered.Add(ready);
        }

        return ordered;
    }
}
