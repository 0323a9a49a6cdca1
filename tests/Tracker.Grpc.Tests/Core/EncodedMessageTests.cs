using System.Net;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Testing;
using Tracker.Testing.Echo;

namespace Tracker.Grpc.Tests.Core;

/// <summary>A response returned in its wire form: its members, its binding, and a call over sockets.</summary>
public sealed class EncodedMessageTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public void Members_ReportTheBytesAndParseThem()
    {
        var bytes = new EchoResponse { Text = "stored" }.ToByteArray();
        var encoded = new EncodedMessage<EchoResponse>(bytes);

        Assert.Equal(bytes.Length, encoded.CalculateSize());
        Assert.Equal(bytes, encoded.Bytes.ToArray());
        Assert.Equal("stored", encoded.Decode().Text);
        Assert.Equal(EchoResponse.Descriptor, encoded.Descriptor);
    }

    [Fact]
    public void GenericSerialization_WritesTheSameBytes()
    {
        var bytes = new EchoResponse { Text = "through CodedOutputStream" }.ToByteArray();

        Assert.Equal(bytes, new EncodedMessage<EchoResponse>(bytes).ToByteArray());
    }

    [Fact]
    public void MergeFrom_IsRefused()
    {
        var encoded = new EncodedMessage<EchoResponse>([]);

        var error = Assert.Throws<NotSupportedException>(() => encoded.MergeFrom(new CodedInputStream([])));
        Assert.Contains("testing.echo.v1.EchoResponse", error.Message);
    }

    [Fact]
    public async Task Bind_UnaryMethodReturningEncodedResponse_InvokesIt()
    {
        var method = ServiceBinder.Bind<EncodedEchoService>(EchoReflection.Descriptor.Services[0]).Single(m => m.Descriptor.Name == "Echo");
        var services = new ServiceCollection().AddSingleton<EncodedEchoService>().BuildServiceProvider();

        var response = await method.Unary!(services, new EchoRequest { Text = "hi" }, null!).WaitAsync(Limit);

        Assert.Equal("encoded hi", Assert.IsType<EncodedMessage<EchoResponse>>(response).Decode().Text);
    }

    [Fact]
    public void Bind_EncodedResponseOfAnotherType_FailsStartUp()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ServiceBinder.Bind<WrongEncodedEchoService>(EchoReflection.Descriptor.Services[0]));

        Assert.Contains("WrongEncodedEchoService.Echo does not have the signature of the Unary method testing.echo.v1.EchoService.Echo", error.Message);
    }

    [Fact]
    public async Task GrpcCall_EncodedResponse_ArrivesAsTheMessageWithItsStatus()
    {
        await using var server = await TestServer.StartAsync(
            services => services.AddGrpcRuntime().AddSingleton<EncodedEchoService>(),
            app =>
            {
                app.UseGrpcRuntime();
                app.MapGrpcService<EncodedEchoService>(EchoReflection.Descriptor.Services[0]);
            },
            HttpProtocols.Http2);
        using var client = new GrpcTestClient(server.Address);

        var result = await client.CallAsync("/testing.echo.v1.EchoService/Echo", new EchoRequest { Text = "over h2c" }).WaitAsync(Limit);

        Assert.Equal(HttpStatusCode.OK, result.HttpStatus);
        Assert.Equal("0", result.Trailers["grpc-status"]);
        Assert.Equal("encoded over h2c", result.Single(EchoResponse.Parser).Text);
    }

    /// <summary>Echo, answered with bytes encoded before the response exists.</summary>
    public sealed class EncodedEchoService
    {
        public Task<EncodedMessage<EchoResponse>> Echo(EchoRequest request, ServerCallContext context) =>
            Task.FromResult(new EncodedMessage<EchoResponse>(new EchoResponse { Text = "encoded " + request.Text }.ToByteArray()));
    }

    /// <summary>Echo declaring an encoded response of the wrong type.</summary>
    public sealed class WrongEncodedEchoService
    {
        public Task<EncodedMessage<EchoRequest>> Echo(EchoRequest request, ServerCallContext context) =>
            Task.FromResult(new EncodedMessage<EchoRequest>(request.ToByteArray()));
    }
}
