using System.Net;
using System.Text.Json;
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

    public static TheoryData<string, HttpStatusCode, int, string> BadMessages => new()
    {
        { "", HttpStatusCode.BadRequest, -32700, "Parse error: the body is empty; send one JSON-RPC message, a JSON object such as {\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/list\"}." },
        { """{"jsonrpc":"2.0","id":1,""", HttpStatusCode.BadRequest, -32700, "Parse error: the body is not valid JSON (RFC 8259) at line 1, byte 24." },
        { "[]", HttpStatusCode.BadRequest, -32600, "Invalid request: the body must be one JSON-RPC message, a JSON object, not an array (MCP sends no batches)." },
        { """{"id":1,"method":"tools/list"}""", HttpStatusCode.BadRequest, -32600, "Invalid request: jsonrpc must be the string \"2.0\"." },
        { """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":"x"}""", HttpStatusCode.OK, -32602, "Invalid params: params must be an object, not a string." },
        { """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search_events","arguments":[1,2]}}""", HttpStatusCode.OK, -32602, "Invalid params: params.arguments must be an object of the tool's arguments by name, such as {\"environment\": \"production\", \"hours\": 2}, not an array." },
        { """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search_events","arguments":"filter=x"}}""", HttpStatusCode.OK, -32602, "Invalid params: params.arguments must be an object of the tool's arguments by name, such as {\"environment\": \"production\", \"hours\": 2}, not a string." },
        { """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"arguments":{}}}""", HttpStatusCode.OK, -32602, "Invalid params: tools/call needs params.name, the tool's name: one of count_events, create_event, get_event, recent_changes, search_events." },
        { """{"jsonrpc":"2.0","id":1.5,"method":"tools/list"}""", HttpStatusCode.BadRequest, -32600, "Invalid request: id must be a string or an integer, not the number 1.5." },
        { """{"jsonrpc":"2.0","id":1,"method":"tools/list","extra":1}""", HttpStatusCode.BadRequest, -32600, "Invalid request: \"extra\" is not a member of a JSON-RPC message; its members are jsonrpc, id, method, params, result, error." },
        { """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":5,"capabilities":{},"clientInfo":{"name":"c","version":"1"}}}""", HttpStatusCode.OK, -32602, "Invalid params: params.protocolVersion must be a string, not a number." },
        { """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{}}}""", HttpStatusCode.OK, -32602, "Invalid params: initialize needs params.clientInfo." },
        { """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"c"}}}""", HttpStatusCode.OK, -32602, "Invalid params: params.clientInfo.version must be a string." },
        { """{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"cursor":5}}""", HttpStatusCode.OK, -32602, "Invalid params: params.cursor must be a string, not a number." },
        { """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search_events","arguments":{},"_meta":"bad"}}""", HttpStatusCode.OK, -32602, "Invalid params: params._meta must be an object, not a string." },
        { """{"jsonrpc":"2.0","id":"a","method":"tools/call","params":{"name":"nope","arguments":{}}}""", HttpStatusCode.OK, -32602, "Invalid params: params.name \"nope\" is no tool of this server; its tools are count_events, create_event, get_event, recent_changes, search_events." },
    };

    [Theory]
    [MemberData(nameof(BadMessages))]
    public async Task Post_NotAJsonRpcMessage_JsonRpcErrorNamingTheRuleAndNoStackInTheLog(string body, HttpStatusCode status, int code, string message)
    {
        await using var factory = new TrackerFactory();
        using var http = factory.CreateClient();
        var mark = factory.Logs.Mark();

        using var response = await http.SendAsync(McpAccessTests.McpPost(body)).Bounded();
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync().Bounded()).RootElement;

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, answer.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(message, answer.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(status == HttpStatusCode.OK ? body.Contains("\"a\"", StringComparison.Ordinal) ? JsonValueKind.String : JsonValueKind.Number : JsonValueKind.Null, answer.GetProperty("id").ValueKind);
        Assert.DoesNotContain(factory.Logs.Entries.Skip(mark), e => e.Exception is not null);
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
