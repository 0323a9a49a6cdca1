using System.Net;
using System.Net.Sockets;

namespace Tracker.Cli.Tests;

/// <summary>URLs that are not Tracker's HTTP endpoint, and endpoints that never answer: refused or reported, never a hang.</summary>
public sealed class EndpointTests
{
    [Theory]
    [InlineData("list")]
    [InlineData("watch")]
    public async Task Command_ServerNeverAnswers_ExitsFiveAfterCallTimeout(string command)
    {
        // Accepts connections and reads nothing: the call can only end by its deadline (for a
        // watch, the deadline of its opening: the watch itself would end at --timeout with 0).
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = new List<Socket>();
        var accepting = Task.Run(async () =>
        {
            while (true)
            {
                accepted.Add(await listener.AcceptSocketAsync());
            }
        });
        var url = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
        string[] arguments = command == "watch"
            ? ["events", "watch", "--call-timeout", "2s", "--timeout", "30s"]
            : ["events", "list", "--call-timeout", "2s"];

        var listed = await new TrackerCli(url).RunAsync(arguments);

        Assert.Equal(5, listed.ExitCode);
        Assert.Contains("DEADLINE_EXCEEDED", listed.Stderr);
        Assert.Contains("within 2s", listed.Stderr);
        Assert.Contains("--call-timeout", listed.Stderr);
        Assert.Equal("", listed.Stdout);
        listener.Stop();
        accepted.ForEach(socket => socket.Dispose());
    }

    [Theory]
    [InlineData("0s")]
    [InlineData("soon")]
    public async Task List_BadCallTimeout_ExitsTwo(string value)
    {
        var listed = await new TrackerCli(new Uri("http://127.0.0.1:9")).RunAsync("events", "list", "--call-timeout", value);

        Assert.Equal(2, listed.ExitCode);
        Assert.Contains($"Invalid value '{value}' for --call-timeout", listed.Stderr);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9/tracker")]
    [InlineData("http://127.0.0.1:9/?a=b")]
    public async Task List_UrlWithPath_ExitsTwo(string url)
    {
        var listed = await new TrackerCli(new Uri("http://127.0.0.1:9")).RunAsync("events", "list", "--url", url);

        Assert.Equal(2, listed.ExitCode);
        Assert.Contains("must be the HTTP endpoint's root, e.g. http://localhost:8080; a path prefix is not supported", listed.Stderr);
    }

    [Fact]
    public async Task List_ApiKeyWithBearer_ExitsTwo()
    {
        var listed = await new TrackerCli(new Uri("http://127.0.0.1:9"), "Bearer trk_abc").RunAsync("events", "list");

        Assert.Equal(2, listed.ExitCode);
        Assert.Contains("give the key alone", listed.Stderr);
    }
}
