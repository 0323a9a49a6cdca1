using System.IO.Compression;
using System.Net;
using Google.Protobuf;
using Google.Rpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tracker.Testing;
using Tracker.Testing.Echo;

namespace Tracker.Grpc.Tests.Transport;

/// <summary>The runtime over real sockets: Kestrel on 127.0.0.1, HttpClient speaking h2c.</summary>
public sealed class GrpcRuntimeEndToEndTests : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private TestServer _server = null!;
    private GrpcTestClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(
            services => services.AddGrpcRuntime().AddSingleton<EchoProbe>().AddSingleton<EchoServiceImpl>(),
            app =>
            {
                app.UseGrpcRuntime();
                app.MapGrpcService<EchoServiceImpl>(EchoReflection.Descriptor.Services[0]);
                app.MapGet("/plain", () => "not grpc");
            },
            HttpProtocols.Http1AndHttp2);
        _client = new GrpcTestClient(_server.Address);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Unary_ValidRequest_ReturnsMessageHeadersAndTrailers()
    {
        var result = await _client.CallAsync("/testing.echo.v1.EchoService/Echo", new EchoRequest { Text = "hello" }, new Dictionary<string, string> { ["x-echo"] = "meta" }).WaitAsync(Limit);

        Assert.Equal(HttpStatusCode.OK, result.HttpStatus);
        Assert.Equal("application/grpc", result.Headers["content-type"]);
        Assert.Equal("hello", result.Single(EchoResponse.Parser).Text);
        Assert.Equal("0", result.Trailers["grpc-status"]);
        Assert.Equal("meta", result.Headers["x-echo-header"]);
        Assert.Equal("meta", result.Trailers["x-echo-trailer"]);
    }

    [Fact]
    public async Task Unary_RequestSplitIntoOneByteDataFrames_IsReassembled()
    {
        var frame = GrpcTestClient.Frame(new EchoRequest { Text = "split across frames" });
        var chunks = frame.Select(b => new[] { b });

        var result = await _client.SendAsync("/testing.echo.v1.EchoService/Echo", chunks).WaitAsync(Limit);

        Assert.Equal(0, result.Status);
        Assert.Equal("split across frames", result.Single(EchoResponse.Parser).Text);
    }

    [Fact]
    public async Task ServerStreaming_Count_StreamsEveryMessageThenOk()
    {
        var result = await _client.CallAsync("/testing.echo.v1.EchoService/Count", new CountRequest { Count = 5 }).WaitAsync(Limit);

        Assert.Equal(["0", "1", "2", "3", "4"], result.All(EchoResponse.Parser).Select(r => r.Text));
        Assert.Equal("0", result.Trailers["grpc-status"]);
    }

    [Fact]
    public async Task ServerStreaming_FailsAfterMessages_SendsStatusInTrailers()
    {
        var result = await _client.CallAsync("/testing.echo.v1.EchoService/Count", new CountRequest { Count = 2, FailCode = 9 }).WaitAsync(Limit);

        Assert.Equal(2, result.Messages.Count);
        Assert.Equal("9", result.Trailers["grpc-status"]);
        Assert.Equal("failed after streaming", result.Trailers["grpc-message"]);
    }

    [Fact]
    public async Task ClientStreaming_Sum_AddsEveryMessage()
    {
        var frames = Enumerable.Range(1, 10).Select(i => GrpcTestClient.Frame(new SumRequest { Value = i }));

        var result = await _client.SendAsync("/testing.echo.v1.EchoService/Sum", frames).WaitAsync(Limit);

        var sum = result.Single(SumResponse.Parser);
        Assert.Equal(55, sum.Total);
        Assert.Equal(10, sum.Count);
        Assert.Equal(0, result.Status);
    }

    [Fact]
    public async Task DuplexStreaming_Chat_AnswersEachMessage()
    {
        var frames = new[] { "a", "b", "c" }.Select(t => GrpcTestClient.Frame(new EchoRequest { Text = t }));

        var result = await _client.SendAsync("/testing.echo.v1.EchoService/Chat", frames).WaitAsync(Limit);

        Assert.Equal(["echo: a", "echo: b", "echo: c"], result.All(EchoResponse.Parser).Select(r => r.Text));
        Assert.Equal(0, result.Status);
    }

    [Fact]
    public async Task Unary_HandlerThrowsRpcException_TrailersOnlyWithEncodedMessageAndDetails()
    {
        var result = await _client.CallAsync("/testing.echo.v1.EchoService/Fail", new FailRequest { Code = 3, Message = "champ invalide: é", WithDetails = true }).WaitAsync(Limit);

        Assert.Equal(HttpStatusCode.OK, result.HttpStatus);
        Assert.Empty(result.Messages);
        Assert.Empty(result.Trailers);
        Assert.Equal("3", result.Headers["grpc-status"]);
        Assert.Equal("champ invalide: %C3%A9", result.Headers["grpc-message"]);
        var bin = result.Headers["grpc-status-details-bin"];
        var status = Google.Rpc.Status.Parser.ParseFrom(Convert.FromBase64String(bin.PadRight(bin.Length + ((4 - (bin.Length % 4)) % 4), '=')));
        Assert.Equal(3, status.Code);
        Assert.Equal("text", status.Details.Single().Unpack<BadRequest>().FieldViolations.Single().Field);
    }

    [Fact]
    public async Task Unary_HandlerThrowsPlainException_UnknownWithGenericMessageAndLogged()
    {
        var result = await _client.CallAsync("/testing.echo.v1.EchoService/Fail", new FailRequest { Code = 0 }).WaitAsync(Limit);

        Assert.Equal(2, result.Status);
        Assert.Equal("Exception was thrown by handler.", result.Message);
        Assert.DoesNotContain("hunter2", string.Join(";", result.Headers.Values.Concat(result.Trailers.Values)));
        Assert.Contains(CapturedLogs.Entries, e => e.Level == LogLevel.Error && e.Exception?.Message.Contains("hunter2") == true);
    }

    [Fact]
    public async Task Unary_DeadlineExpires_DeadlineExceededAndHandlerCancelled()
    {
        var probe = _server.Services.GetRequiredService<EchoProbe>();

        var result = await _client.CallAsync("/testing.echo.v1.EchoService/Sleep", new SleepRequest { Milliseconds = 60_000 }, new Dictionary<string, string> { ["grpc-timeout"] = "200m" }).WaitAsync(Limit);

        Assert.Equal(4, result.Status);
        Assert.Equal("/testing.echo.v1.EchoService/Sleep", await probe.CancelledCall.WaitAsync(Limit));
    }

    [Fact]
    public async Task Unary_ClientCancels_HandlerIsCancelled()
    {
        var probe = _server.Services.GetRequiredService<EchoProbe>();
        using var cts = new CancellationTokenSource();

        var call = _client.CallAsync("/testing.echo.v1.EchoService/Sleep", new SleepRequest { Milliseconds = 60_000 }, cancellationToken: cts.Token);
        await Task.Delay(300);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(Limit));
        Assert.Equal("/testing.echo.v1.EchoService/Sleep", await probe.CancelledCall.WaitAsync(Limit));
    }

    [Fact]
    public async Task Unary_GzipCompressedRequest_IsAccepted()
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(new EchoRequest { Text = "compressed" }.ToByteArray());
        }

        var result = await _client.SendAsync("/testing.echo.v1.EchoService/Echo", [GrpcTestClient.Frame(output.ToArray(), compressedFlag: true)], new Dictionary<string, string> { ["grpc-encoding"] = "gzip" }).WaitAsync(Limit);

        Assert.Equal(0, result.Status);
        Assert.Equal("compressed", result.Single(EchoResponse.Parser).Text);
    }

    [Fact]
    public async Task Unary_UnsupportedEncoding_UnimplementedWithAcceptEncoding()
    {
        var result = await _client.SendAsync("/testing.echo.v1.EchoService/Echo", [GrpcTestClient.Frame(new EchoRequest(), compressedFlag: true)], new Dictionary<string, string> { ["grpc-encoding"] = "snappy" }).WaitAsync(Limit);

        Assert.Equal(12, result.Status);
        Assert.Contains("gzip", result.Headers["grpc-accept-encoding"]);
    }

    [Fact]
    public async Task Unary_MessageOverFourMebibytes_ResourceExhausted()
    {
        var big = new EchoRequest { Padding = ByteString.CopyFrom(new byte[(4 * 1024 * 1024) + 1]) };

        var result = await _client.CallAsync("/testing.echo.v1.EchoService/Echo", big).WaitAsync(Limit);

        Assert.Equal(8, result.Status);
    }

    [Fact]
    public async Task Unary_MessageJustUnderLimit_IsAccepted()
    {
        var request = new EchoRequest { Text = "big", Padding = ByteString.CopyFrom(new byte[(4 * 1024 * 1024) - 16]) };

        var result = await _client.CallAsync("/testing.echo.v1.EchoService/Echo", request).WaitAsync(Limit);

        Assert.Equal(0, result.Status);
        Assert.Equal("big", result.Single(EchoResponse.Parser).Text);
    }

    [Theory]
    [InlineData("/testing.echo.v1.EchoService/Nope", "Method is unimplemented.")]
    [InlineData("/no.such.Service/Echo", "Service is unimplemented.")]
    public async Task Call_UnknownServiceOrMethod_Unimplemented(string path, string message)
    {
        var result = await _client.CallAsync(path, new EchoRequest()).WaitAsync(Limit);

        Assert.Equal(HttpStatusCode.OK, result.HttpStatus);
        Assert.Equal(12, result.Status);
        Assert.Equal(message, result.Message);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/grpc+json")]
    [InlineData("text/plain")]
    public async Task Call_NonGrpcContentType_Http415(string contentType)
    {
        var result = await _client.SendAsync("/testing.echo.v1.EchoService/Echo", [GrpcTestClient.Frame(new EchoRequest())], contentType: contentType).WaitAsync(Limit);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, result.HttpStatus);
        Assert.Equal("13", result.Headers["grpc-status"]);
    }

    [Fact]
    public async Task Call_GrpcProtoContentType_IsAccepted()
    {
        var result = await _client.SendAsync("/testing.echo.v1.EchoService/Echo", [GrpcTestClient.Frame(new EchoRequest { Text = "x" })], contentType: "application/grpc+proto").WaitAsync(Limit);

        Assert.Equal(0, result.Status);
    }

    [Fact]
    public async Task Call_OverHttp11_Http426()
    {
        using var http = new HttpClient { BaseAddress = _server.Address };
        using var content = new ByteArrayContent(GrpcTestClient.Frame(new EchoRequest()));
        content.Headers.TryAddWithoutValidation("Content-Type", "application/grpc");

        using var response = await http.PostAsync("/testing.echo.v1.EchoService/Echo", content).WaitAsync(Limit);

        Assert.Equal(HttpStatusCode.UpgradeRequired, response.StatusCode);
    }

    [Fact]
    public async Task Call_NoMessage_InternalError()
    {
        var result = await _client.SendAsync("/testing.echo.v1.EchoService/Echo", []).WaitAsync(Limit);

        Assert.Equal(13, result.Status);
    }

    [Fact]
    public async Task Call_TwoMessagesToUnary_InternalError()
    {
        var frames = new[] { GrpcTestClient.Frame(new EchoRequest()), GrpcTestClient.Frame(new EchoRequest()) };

        var result = await _client.SendAsync("/testing.echo.v1.EchoService/Echo", frames).WaitAsync(Limit);

        Assert.Equal(13, result.Status);
    }

    [Fact]
    public async Task NonGrpcRequest_PassesToNextMiddleware()
    {
        using var http = new HttpClient { BaseAddress = _server.Address };

        Assert.Equal("not grpc", await http.GetStringAsync("/plain").WaitAsync(Limit));
    }

    [Fact]
    public async Task ManyConcurrentCalls_OnOneConnection_AllSucceed()
    {
        var calls = Enumerable.Range(0, 200).Select(i => _client.CallAsync("/testing.echo.v1.EchoService/Echo", new EchoRequest { Text = $"m{i}" }));

        var results = await Task.WhenAll(calls).WaitAsync(Limit);

        Assert.All(results, r => Assert.Equal(0, r.Status));
        Assert.Equal(200, results.Select(r => r.Single(EchoResponse.Parser).Text).Distinct().Count());
    }
}
