using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.Transport;

/// <summary>
/// A client that goes away in the middle of its request body, on Kestrel itself (the in-memory
/// TestServer has no connection to reset): a TCP reset of an HTTP/1.1 connection, or RST_STREAM
/// on an HTTP/2 stream, on every transport. Each is a cancelled call: nothing is logged at Error.
/// Here too, because only Kestrel drains what is left of an HTTP/1.1 body after the response: a
/// gRPC-Web request refused for its framing, whose body must still drain without an Error.
/// </summary>
public sealed class AbandonedBodyTests : IAsyncLifetime
{
    private readonly ClosedConnections _closed = new();
    private readonly TrackerFactory _factory;
    private IPEndPoint _http = null!;

    public AbandonedBodyTests()
    {
        _factory = new TrackerFactory
        {
            Settings = new Dictionary<string, string?>
            {
                // The gRPC-only endpoint on a socket file, so the one TCP port is the Http endpoint.
                ["Kestrel:Endpoints:Grpc:Url"] = $"http://unix:{Path.Combine(Path.GetTempPath(), "tracker-abandoned-" + Guid.NewGuid().ToString("N")[..8] + ".sock")}",
                ["Kestrel:Endpoints:Http:Url"] = "http://127.0.0.1:0",
            },
            TestServices = services => services.Configure<KestrelServerOptions>(kestrel =>
                kestrel.ConfigureEndpointDefaults(listen => listen.Use(next => async connection =>
                {
                    try
                    {
                        await next(connection);
                    }
                    finally
                    {
                        _closed.Add();
                    }
                }))),
        };
    }

    public Task InitializeAsync()
    {
        _factory.UseKestrel();
        _factory.StartServer();
        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a)).Single(a => a.Host == "127.0.0.1");
        _http = new IPEndPoint(IPAddress.Loopback, address.Port);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    /// <summary>Every EventService method over gRPC-Web and gRPC-Web-text, and REST with a body.</summary>
    public static TheoryData<string, string> Http1Calls() => Calls("application/grpc-web", "application/grpc-web-text");

    /// <summary>As <see cref="Http1Calls"/>, and gRPC, which needs HTTP/2.</summary>
    public static TheoryData<string, string> Http2Calls() => Calls("application/grpc-web", "application/grpc-web-text", "application/grpc");

    private static TheoryData<string, string> Calls(params string[] grpcContentTypes)
    {
        var data = new TheoryData<string, string>();
        foreach (var method in Tracker.Api.V1Alpha1.EventService.Descriptor.Methods)
        {
            foreach (var contentType in grpcContentTypes)
            {
                data.Add($"/tracker.event.v1alpha1.EventService/{method.Name}", contentType);
            }
        }

        data.Add("/api/v1alpha1/event", "application/json");
        return data;
    }

    [Theory]
    [MemberData(nameof(Http1Calls))]
    public async Task Http1_ConnectionResetMidBody_NoErrorLog(string path, string contentType)
    {
        var mark = _factory.Logs.Mark();
        var closedBefore = _closed.Count;
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(_http).Bounded();
        var head = $"POST {path} HTTP/1.1\r\nHost: tracker\r\nContent-Type: {contentType}\r\nContent-Length: 1000\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(head).Concat(PartialBody(contentType)).ToArray()).Bounded();
        await WaitUntilReadingAsync();

        socket.LingerState = new LingerOption(true, 0);
        socket.Close();

        await TestTimeout.UntilAsync(() => _closed.Count > closedBefore);
        AssertNoErrorSince(mark);
    }

    [Theory]
    [MemberData(nameof(Http2Calls))]
    public async Task Http2_StreamResetMidBody_NoErrorLog(string path, string contentType)
    {
        var mark = _factory.Logs.Mark();
        var closedBefore = _closed.Count;
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync(_http).Bounded();
            byte[] headers = [.. Header(":method", "POST"), .. Header(":scheme", "http"), .. Header(":path", path), .. Header(":authority", "tracker"), .. Header("content-type", contentType), .. Header("te", "trailers")];
            await socket.SendAsync((byte[])[.. "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8, .. Frame(4, 0, 0, []), .. Frame(1, 4, 1, headers), .. Frame(0, 0, 1, PartialBody(contentType))]).Bounded();
            await WaitUntilReadingAsync();

            var cancel = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(cancel, 8);
            await socket.SendAsync(Frame(3, 0, 1, cancel)).Bounded();
            await WaitUntilReadingAsync();
        }

        await TestTimeout.UntilAsync(() => _closed.Count > closedBefore);
        AssertNoErrorSince(mark);
    }

    [Theory]
    [InlineData("application/grpc-web", "compressed flag 2")]
    [InlineData("application/grpc-web", "length 0xFFFFFFFF")]
    [InlineData("application/grpc-web-text", "compressed flag 2")]
    [InlineData("application/grpc-web-text", "length 0xFFFFFFFF")]
    [InlineData("application/grpc-web-text", "not base64")]
    public async Task Http1_FramingFault_RefusedAndBodyDrainedWithoutErrorLog(string contentType, string fault)
    {
        var mark = _factory.Logs.Mark();
        var closedBefore = _closed.Count;
        byte[] frame = fault == "compressed flag 2" ? [2, 0, 0, 0, 2, 0x0A, 0x00] : [0, 0xFF, 0xFF, 0xFF, 0xFF, 0x0A, 0x00];
        var body = contentType == "application/grpc-web"
            ? frame
            : Encoding.ASCII.GetBytes(fault == "not base64" ? "!!!notbase64" : Convert.ToBase64String(frame));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(_http).Bounded();
        var head = $"POST /tracker.event.v1alpha1.EventService/GetEvent HTTP/1.1\r\nHost: tracker\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(head).Concat(body).ToArray()).Bounded();

        // The server answers, drains what is left of the body, and closes the connection.
        var response = new List<byte>();
        var buffer = new byte[4096];
        int read;
        while ((read = await socket.ReceiveAsync(buffer).Bounded()) > 0)
        {
            response.AddRange(buffer[..read]);
        }

        await TestTimeout.UntilAsync(() => _closed.Count > closedBefore);
        var text = Encoding.ASCII.GetString([.. response]);
        Assert.Contains(fault == "length 0xFFFFFFFF" ? "grpc-status: 8" : "grpc-status: 13", text, StringComparison.OrdinalIgnoreCase);
        AssertNoErrorSince(mark);
    }

    /// <summary>The start of a body that promises more: a gRPC message of 1000 bytes, or JSON cut short.</summary>
    private static byte[] PartialBody(string contentType) => contentType switch
    {
        "application/json" => "{\"title\":\"abandoned"u8.ToArray(),
        "application/grpc-web-text" => Encoding.ASCII.GetBytes(Convert.ToBase64String([0, 0, 0, 3, 0xE8, 0x0A, 0x03])[..8]),
        _ => [0, 0, 0, 3, 0xE8, 0x0A, 0x03],
    };

    // The server reads what was sent before the client goes away; there is no signal to wait for.
    private static Task WaitUntilReadingAsync() => Task.Delay(200);

    /// <summary>Fails with every Error entry written since <paramref name="mark"/>, whole (xunit's collection view cuts them short).</summary>
    private void AssertNoErrorSince(int mark)
    {
        var errors = ErrorsSince(mark);
        Assert.True(errors.Count == 0, string.Join(System.Environment.NewLine, errors));
    }

    private List<string> ErrorsSince(int mark) =>
        _factory.Logs.Entries.Skip(mark).Where(e => e.Level >= LogLevel.Error).Select(e => e.ToString()).ToList();

    private static byte[] Frame(byte type, byte flags, int stream, byte[] payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), stream);
        payload.CopyTo(frame, 9);
        return frame;
    }

    // HPACK literal header field without indexing, new name, no Huffman (RFC 7541, 6.2.2).
    private static byte[] Header(string name, string value) =>
        [0x00, (byte)name.Length, .. Encoding.ASCII.GetBytes(name), (byte)value.Length, .. Encoding.ASCII.GetBytes(value)];

    private sealed class ClosedConnections
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Add() => Interlocked.Increment(ref _count);
    }
}
