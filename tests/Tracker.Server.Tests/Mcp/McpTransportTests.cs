using System.Net;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.Mcp;

/// <summary>
/// /mcp among the host's other paths: served by the MCP transport (not the web UI's files nor the
/// REST error pages), stateless, and counted by the limiter as one read call per request.
/// </summary>
public sealed class McpTransportTests
{
    private const string Initialize =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"curl","version":"1"}}}""";

    [Fact]
    public async Task Post_Initialize_AnswersTrackerWithoutASession()
    {
        await using var factory = new TrackerFactory();
        using var http = factory.CreateClient();

        using var response = await http.SendAsync(McpAccessTests.McpPost(Initialize)).Bounded();
        var body = await response.Content.ReadAsStringAsync().Bounded();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"serverInfo\":{\"name\":\"tracker\"", body, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Mcp-Session-Id"));
    }

    [Fact]
    public async Task Get_Mcp_MethodNotAllowedNotTheWebUi()
    {
        await using var factory = new TrackerFactory();
        using var http = factory.CreateClient();

        using var response = await http.GetAsync("/mcp").Bounded();

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.NotEqual("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Post_CallersBucketEmpty_TooManyRequestsWithRetryAfter()
    {
        await using var factory = new TrackerFactory
        {
            Settings = { ["Limits:PerCaller:PermitsPerSecond"] = "0.001", ["Limits:PerCaller:Burst"] = "1" },
        };
        using var http = factory.CreateClient();

        using var first = await http.SendAsync(McpAccessTests.McpPost(Initialize)).Bounded();
        using var second = await http.SendAsync(McpAccessTests.McpPost(Initialize)).Bounded();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.NotNull(second.Headers.RetryAfter);
    }
}
