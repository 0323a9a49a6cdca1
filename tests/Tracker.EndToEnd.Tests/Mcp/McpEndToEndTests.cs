using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tracker.Testing;

namespace Tracker.EndToEnd.Tests.Mcp;

/// <summary>The real server on 127.0.0.1 with API keys: a writer (events:read and events:write) and a reader (events:read).</summary>
public sealed class McpKeysTrackerFixture : TrackerServerFixture
{
    public const string WriterKey = "trk_e2e-mcp-writer";
    public const string ReaderKey = "trk_e2e-mcp-reader";

    protected override Task<TrackerSettings> CreateSettingsAsync()
    {
        var settings = TrackerSettings.Sqlite();
        settings.Environment["Auth__Mode"] = "ApiKey";
        settings.Environment["Auth__ApiKeys__agent__Hash"] = HashOf(WriterKey);
        settings.Environment["Auth__ApiKeys__agent__Scopes__0"] = "events:read";
        settings.Environment["Auth__ApiKeys__agent__Scopes__1"] = "events:write";
        settings.Environment["Auth__ApiKeys__viewer__Hash"] = HashOf(ReaderKey);
        settings.Environment["Auth__ApiKeys__viewer__Scopes__0"] = "events:read";
        return Task.FromResult(settings);
    }

    private static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}

/// <summary>
/// An agent's session against the real server, with the C# MCP SDK's client over Streamable HTTP
/// on the HTTP endpoint, as the README's "For AI agents (MCP)" sets one up.
/// </summary>
public sealed class McpEndToEndTests(McpKeysTrackerFixture fixture) : IClassFixture<McpKeysTrackerFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AgentSession_WriterKey_ListsToolsCreatesAndFindsTheEvent()
    {
        await using var client = await TrackerMcpClient.ConnectAsync(fixture.Server.HttpAddress, McpKeysTrackerFixture.WriterKey).WaitAsync(Timeout);
        var service = $"svc-{Guid.NewGuid():N}";

        var tools = await client.ListToolsAsync().AsTask().WaitAsync(Timeout);
        var created = await client.CallToolAsync("create_event", new Dictionary<string, object?>
        {
            ["title"] = "Deploy payments-api 2.4.1", ["type"] = "deployment", ["service"] = service, ["environment"] = "production", ["status"] = "success",
        }).AsTask().WaitAsync(Timeout);
        var recent = await client.CallToolAsync("recent_changes", new Dictionary<string, object?> { ["environment"] = "production", ["hours"] = 2, ["service"] = service }).AsTask().WaitAsync(Timeout);
        var counts = await client.CallToolAsync("count_events", new Dictionary<string, object?> { ["filter"] = $"service=\"{service}\"" }).AsTask().WaitAsync(Timeout);

        Assert.Equal(["count_events", "create_event", "get_event", "recent_changes", "search_events"], tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.False(created.IsError, created.Text());
        var id = JsonDocument.Parse(created.Text()).RootElement.GetProperty("id").GetString();
        Assert.Equal([id], JsonDocument.Parse(recent.Text()).RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        Assert.Equal(1, JsonDocument.Parse(counts.Text()).RootElement.GetProperty("byType").GetProperty("TYPE_DEPLOYMENT").GetInt32());
    }

    [Fact]
    public async Task CreateEvent_ReaderKey_RefusedAsAToolErrorNamingTheScope()
    {
        await using var client = await TrackerMcpClient.ConnectAsync(fixture.Server.HttpAddress, McpKeysTrackerFixture.ReaderKey).WaitAsync(Timeout);

        var result = await client.CallToolAsync("create_event", new Dictionary<string, object?> { ["title"] = "Deploy", ["type"] = "deployment", ["service"] = "checkout" }).AsTask().WaitAsync(Timeout);

        Assert.True(result.IsError);
        Assert.StartsWith("PERMISSION_DENIED: CreateEvent needs the scope \"events:write\"", result.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchEvents_BadFilter_ToolErrorNamingTheField()
    {
        await using var client = await TrackerMcpClient.ConnectAsync(fixture.Server.HttpAddress, McpKeysTrackerFixture.ReaderKey).WaitAsync(Timeout);

        var result = await client.CallToolAsync("search_events", new Dictionary<string, object?> { ["filter"] = "colour=red" }).AsTask().WaitAsync(Timeout);

        Assert.True(result.IsError);
        Assert.StartsWith("INVALID_ARGUMENT: Invalid request: filter ", result.Text(), StringComparison.Ordinal);
        Assert.Contains("colour", result.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_NoKey_Unauthorized()
    {
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => TrackerMcpClient.ConnectAsync(fixture.Server.HttpAddress).WaitAsync(Timeout));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }
}
