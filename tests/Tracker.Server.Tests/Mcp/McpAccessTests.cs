using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Tracker.Api.V1Alpha1;
using Tracker.Server.Tests.Auth;
using Tracker.Server.Tests.Support;
using Tracker.Testing;

namespace Tracker.Server.Tests.Mcp;

/// <summary>
/// The MCP endpoint behind the API's authentication and scopes: 401 before any MCP message without
/// valid credentials, and each tool needing its method's scope, refused as a tool error naming it.
/// </summary>
public sealed class McpAccessTests
{
    private const string Initialize =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"curl","version":"1"}}}""";

    [Theory]
    [InlineData(null, "Bearer realm=\"tracker\"")]
    [InlineData("trk_not-a-key", "Bearer realm=\"tracker\", error=\"invalid_token\"")]
    public async Task Post_KeysConfiguredWithoutValidKey_UnauthorizedWithBearerChallenge(string? key, string challenge)
    {
        await using var tracker = new SecuredTracker();
        using var http = tracker.Factory.CreateClient();

        using var response = await http.SendAsync(McpPost(Initialize, key)).Bounded();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(challenge, response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData(null, "CREDENTIALS_MISSING")]
    [InlineData("trk_not-a-key", "CREDENTIALS_INVALID")]
    public async Task Post_KeysConfiguredWithoutValidKey_BodyIsTheRestApisUnauthenticatedError(string? key, string reason)
    {
        await using var tracker = new SecuredTracker();
        using var http = tracker.Factory.CreateClient();
        using var rest = new HttpRequestMessage(HttpMethod.Get, "/api/v1alpha1/events/list");
        if (key is not null)
        {
            rest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        using var response = await http.SendAsync(McpPost(Initialize, key)).Bounded();
        using var restResponse = await http.SendAsync(rest).Bounded();
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync().Bounded()).RootElement;
        var restBody = JsonDocument.Parse(await restResponse.Content.ReadAsStringAsync().Bounded()).RootElement;

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(16, body.GetProperty("code").GetInt32());
        Assert.Equal(restBody.GetProperty("message").GetString(), body.GetProperty("message").GetString());
        Assert.Equal(reason, body.GetProperty("details")[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task CreateEvent_ReadOnlyKeyWithBadArguments_PermissionDeniedBeforeTheArguments()
    {
        await using var tracker = new SecuredTracker();
        await using var client = await TrackerMcpClient.ConnectAsync(tracker.Factory.Server.BaseAddress, SecuredTracker.ReaderKey, tracker.Factory.Server.CreateHandler()).Bounded();

        var result = await McpToolTests.CallAsync(client, "create_event", new() { ["title"] = 5, ["type"] = "nonsense", ["fitler"] = "x" });

        Assert.True(result.IsError);
        Assert.StartsWith("PERMISSION_DENIED: CreateEvent needs the scope \"events:write\" (or \"admin\")", result.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecentChanges_WriteOnlyKeyWithBadArguments_PermissionDeniedBeforeTheArguments()
    {
        await using var tracker = new SecuredTracker();
        await using var client = await TrackerMcpClient.ConnectAsync(tracker.Factory.Server.BaseAddress, SecuredTracker.PaymentsWriterKey, tracker.Factory.Server.CreateHandler()).Bounded();

        var result = await McpToolTests.CallAsync(client, "recent_changes", new() { ["environment"] = "prod", ["hours"] = "two" });

        Assert.True(result.IsError);
        Assert.StartsWith("PERMISSION_DENIED: SearchEvents needs the scope \"events:read\"", result.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_KeysConfiguredWithoutKey_ClientFailsWith401()
    {
        await using var tracker = new SecuredTracker();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() =>
            TrackerMcpClient.ConnectAsync(tracker.Factory.Server.BaseAddress, bearer: null, tracker.Factory.Server.CreateHandler()).Bounded());

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Fact]
    public async Task CreateEvent_ReadOnlyKey_ToolErrorNamesTheWriteScopeAndNothingIsCreated()
    {
        await using var tracker = new SecuredTracker();
        await using var client = await TrackerMcpClient.ConnectAsync(tracker.Factory.Server.BaseAddress, SecuredTracker.ReaderKey, tracker.Factory.Server.CreateHandler()).Bounded();
        var service = TestEvents.UniqueService();

        var result = await McpToolTests.CallAsync(client, "create_event", new() { ["title"] = "Deploy", ["type"] = "deployment", ["service"] = service });
        var search = McpToolTests.Ok(await McpToolTests.CallAsync(client, "search_events", new() { ["filter"] = $"service=\"{service}\"" }));

        Assert.True(result.IsError);
        Assert.StartsWith("PERMISSION_DENIED: CreateEvent needs the scope \"events:write\" (or \"admin\")", result.Text(), StringComparison.Ordinal);
        Assert.Equal(0, search.GetProperty("events").GetArrayLength());
    }

    [Fact]
    public async Task SearchEvents_WriteOnlyKey_ToolErrorNamesTheReadScope()
    {
        await using var tracker = new SecuredTracker();
        await using var client = await TrackerMcpClient.ConnectAsync(tracker.Factory.Server.BaseAddress, SecuredTracker.PaymentsWriterKey, tracker.Factory.Server.CreateHandler()).Bounded();

        var search = await McpToolTests.CallAsync(client, "search_events", new());
        var recent = await McpToolTests.CallAsync(client, "recent_changes", new() { ["environment"] = "production", ["hours"] = 1 });

        Assert.True(search.IsError == true && recent.IsError == true);
        Assert.StartsWith("PERMISSION_DENIED: SearchEvents needs the scope \"events:read\"", search.Text(), StringComparison.Ordinal);
        Assert.StartsWith("PERMISSION_DENIED: SearchEvents needs the scope \"events:read\"", recent.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateEvent_KeyLimitedToOtherServices_ToolErrorAndTheKeysServicesNamed()
    {
        await using var tracker = new SecuredTracker();
        await using var client = await TrackerMcpClient.ConnectAsync(tracker.Factory.Server.BaseAddress, SecuredTracker.PaymentsKey, tracker.Factory.Server.CreateHandler()).Bounded();

        var refused = await McpToolTests.CallAsync(client, "create_event", new() { ["title"] = "Deploy", ["type"] = "deployment", ["service"] = "checkout" });
        var created = McpToolTests.Ok(await McpToolTests.CallAsync(client, "create_event", new() { ["title"] = "Deploy", ["type"] = "deployment", ["service"] = "payments-api" }));

        Assert.True(refused.IsError);
        Assert.StartsWith("PERMISSION_DENIED: Permission \"events:write\" denied on the new event", refused.Text(), StringComparison.Ordinal);
        Assert.Equal("payments", created.GetProperty("createdBy").GetString());
    }

    [Fact]
    public async Task GetEvent_Jwt_ReadsAsTheTokensSubject()
    {
        await using var tracker = new SecuredTracker();
        var created = await tracker.Factory.CreateGrpcClient().CreateEventAsync(TestEvents.Deployment(), new Grpc.Core.Metadata { { "authorization", "Bearer " + SecuredTracker.AdminKey } }).Bounded();
        var token = tracker.Issuer.Token("agent", "events:read", "*");
        await using var client = await TrackerMcpClient.ConnectAsync(tracker.Factory.Server.BaseAddress, token, tracker.Factory.Server.CreateHandler()).Bounded();

        var found = McpToolTests.Ok(await McpToolTests.CallAsync(client, "get_event", new() { ["id"] = created.Id }));

        Assert.Equal(created.Id, found.GetProperty("id").GetString());
    }

    internal static HttpRequestMessage McpPost(string json, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return request;
    }
}
