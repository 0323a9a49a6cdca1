using System.Net;
using System.Net.Sockets;

namespace Tracker.Cli.Tests;

/// <summary>Settings and credentials: TRACKER_URL, TRACKER_API_KEY and the flags that override them.</summary>
public sealed class ConnectionTests(SecuredServerFixture fixture) : IClassFixture<SecuredServerFixture>
{
    private readonly string _service = "ci-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Create_ApiKeyFromEnvironment_Succeeds()
    {
        var tracker = new TrackerCli(fixture.Server.HttpAddress, SecuredServerFixture.Key);

        var created = await tracker.RunAsync("events", "create", "--title", "t", "--type", "operation", "--service", _service, "-o", "json");

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Equal("pipeline", created.Json.GetProperty("createdBy").GetString());
    }

    [Fact]
    public async Task List_ApiKeyFlag_OverridesEnvironment()
    {
        var tracker = new TrackerCli(fixture.Server.HttpAddress, "trk_wrong");

        var listed = await tracker.RunAsync("events", "list", "--api-key", SecuredServerFixture.Key);

        Assert.True(listed.ExitCode == 0, listed.ToString());
    }

    [Fact]
    public async Task List_NoApiKey_ExitsFour()
    {
        var listed = await new TrackerCli(fixture.Server.HttpAddress).RunAsync("events", "list");

        Assert.Equal(4, listed.ExitCode);
        Assert.StartsWith("tracker: UNAUTHENTICATED: ", listed.Stderr);
    }

    [Fact]
    public async Task List_WrongApiKey_ExitsFour()
    {
        var listed = await new TrackerCli(fixture.Server.HttpAddress, "trk_wrong").RunAsync("events", "list");

        Assert.Equal(4, listed.ExitCode);
        Assert.Contains("UNAUTHENTICATED", listed.Stderr);
    }

    [Fact]
    public async Task Create_ServiceOutsideTheKeys_ExitsFour()
    {
        var tracker = new TrackerCli(fixture.Server.HttpAddress, SecuredServerFixture.Key);

        var created = await tracker.RunAsync("events", "create", "--title", "t", "--type", "operation", "--service", "payments");

        Assert.Equal(4, created.ExitCode);
        Assert.StartsWith("tracker: PERMISSION_DENIED: ", created.Stderr);
    }

    [Fact]
    public async Task List_UrlFlag_OverridesEnvironment()
    {
        var tracker = new TrackerCli(new Uri("http://127.0.0.1:9"), SecuredServerFixture.Key);

        var listed = await tracker.RunAsync("events", "list", "--url", fixture.Server.HttpAddress.ToString());

        Assert.True(listed.ExitCode == 0, listed.ToString());
    }

    [Fact]
    public async Task List_ConnectionRefused_ExitsFive()
    {
        var url = new Uri($"http://127.0.0.1:{UnusedPort()}");

        var listed = await new TrackerCli(url).RunAsync("events", "list");

        Assert.Equal(5, listed.ExitCode);
        Assert.Contains($"cannot reach {url}", listed.Stderr);
        Assert.Contains("UNAVAILABLE", listed.Stderr);
        Assert.DoesNotContain("   at ", listed.Stderr);
    }

    [Fact]
    public async Task List_MalformedUrl_ExitsTwo()
    {
        var listed = await new TrackerCli(fixture.Server.HttpAddress).RunAsync("events", "list", "--url", "tracker:8080");

        Assert.Equal(2, listed.ExitCode);
        Assert.Contains("Invalid server URL 'tracker:8080'", listed.Stderr);
    }

    [Fact]
    public async Task List_HttpsToPlainPort_ExitsFiveWithHint()
    {
        var url = $"https://{fixture.Server.HttpAddress.Authority}";

        var listed = await new TrackerCli(fixture.Server.HttpAddress, SecuredServerFixture.Key).RunAsync("events", "list", "--url", url);

        Assert.Equal(5, listed.ExitCode);
        Assert.Contains($"use http://{fixture.Server.HttpAddress.Authority}", listed.Stderr);
        Assert.DoesNotContain("   at ", listed.Stderr);
    }

    [Fact]
    public async Task Help_Root_ListsCommandsAndExitCodes()
    {
        var help = await new TrackerCli(fixture.Server.HttpAddress).RunAsync("--help");

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("Exit codes:", help.Stdout);
        Assert.Contains("events", help.Stdout);
        Assert.Contains("deploy", help.Stdout);
    }

    // A port nothing listens on: taken from the system, then released.
    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
