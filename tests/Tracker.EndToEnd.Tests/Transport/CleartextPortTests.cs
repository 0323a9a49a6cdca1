using System.Net.Sockets;
using System.Text;
using Grpc.Health.V1;
using Tracker.Testing;

namespace Tracker.EndToEnd.Tests.Transport;

/// <summary>
/// The HTTP port serves HTTP/1.1 and HTTP/2 prior knowledge on one cleartext socket
/// (CleartextProtocolSniffer), whatever the client does with its connection.
/// </summary>
public sealed class CleartextPortTests(SqliteTrackerFixture fixture) : IClassFixture<SqliteTrackerFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ConnectionsEndingBeforeTheProtocolIsKnown_LogNoErrorAndStopCleanly()
    {
        // A server of its own, stopped before its output is read, so every connection's end is in it.
        var settings = TrackerSettings.Sqlite();
        await using var server = await TrackerProcess.StartAsync(settings);
        for (var i = 0; i < 3; i++)
        {
            using var closed = await ConnectAsync(server.HttpAddress);
            closed.Shutdown(SocketShutdown.Both);
        }

        using (var partialPreface = await ConnectAsync(server.HttpAddress))
        {
            await partialPreface.SendAsync("PRI * HTTP/2.0\r\n"u8.ToArray());
            partialPreface.Shutdown(SocketShutdown.Send);
            await ReadToEndAsync(partialPreface);
        }

        using (var reset = await ConnectAsync(server.HttpAddress))
        {
            reset.LingerState = new LingerOption(true, 0);
        }

        using var socket = await ConnectAsync(server.HttpAddress);
        await socket.SendAsync("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"u8.ToArray());
        Assert.StartsWith("HTTP/1.1 200", await ReadToEndAsync(socket), StringComparison.Ordinal);

        Assert.Equal(0, await server.InterruptAsync());
        Assert.DoesNotContain("fail:", server.Output, StringComparison.Ordinal);
        Directory.Delete(settings.DataDirectory, recursive: true);
    }

    [Fact]
    public async Task Http2PriorKnowledge_OnTheHttpPort_ServesGrpc()
    {
        using var client = new GrpcTestClient(fixture.Server.HttpAddress);

        var result = await client.CallAsync("/grpc.health.v1.Health/Check", new HealthCheckRequest()).WaitAsync(Limit);

        Assert.Equal(0, result.Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, result.Single(HealthCheckResponse.Parser).Status);
    }

    [Fact]
    public async Task Http11Rest_OnTheHttpPort_AnswersJson()
    {
        using var http = new HttpClient { BaseAddress = fixture.Server.HttpAddress, Timeout = Limit };

        using var response = await http.GetAsync("/api/v1alpha1/events/list?per_page=1");

        Assert.Equal(new Version(1, 1), response.Version);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    private Task<Socket> ConnectAsync() => ConnectAsync(fixture.Server.HttpAddress);

    private static async Task<Socket> ConnectAsync(Uri address)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(address.Host, address.Port).WaitAsync(Limit);
        return socket;
    }

    private static async Task<string> ReadToEndAsync(Socket socket)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        int read;
        while ((read = await socket.ReceiveAsync(buffer).WaitAsync(Limit)) > 0)
        {
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return text.ToString();
    }
}
