using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;

namespace Tracker.Server.Mcp;

/// <summary>
/// Checks the body of a POST to /mcp as one JSON-RPC 2.0 message before the MCP transport reads
/// it, and refuses what the SDK would answer with .NET's parser text or a bare "An error occurred."
/// (-32603, with a stack trace in the log): with JSON-RPC 2.0's own codes (section 5.1) and a
/// message naming the member and the rule.
/// <list type="bullet">
/// <item>-32700 Parse error: an empty body, or one that is not JSON (the line and byte given).</item>
/// <item>-32600 Invalid request: not an object (MCP has no batches), jsonrpc not "2.0", a method
/// of the wrong type, an id that is neither a string nor an integer, a member JSON-RPC does not have.</item>
/// <item>-32602 Invalid params: params not an object; a member the SDK reads as a typed value
/// (_meta, initialize's protocolVersion, capabilities and clientInfo, a list's cursor) missing or of
/// the wrong kind; for tools/call, name missing, not a string or no tool's name, or arguments not
/// an object.</item>
/// </list>
/// Parse errors and invalid requests are HTTP 400 with id null, as the SDK answers them; invalid
/// params are HTTP 200 with the request's id, as any other JSON-RPC error of a request.
/// </summary>
internal static class JsonRpcMessageCheck
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int InvalidParams = -32602;

    /// <summary>
    /// The refusal of <paramref name="request"/>'s body, or null when it is one JSON-RPC message
    /// the server can read; the body is read into memory (the server's request size limit
    /// bounds it) and can be read again after.
    /// </summary>
    public static async Task<Refusal?> RefusalAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // The transport reads the body again (as a stream or a pipe): it gets the bytes read here.
        var body = new MemoryStream();
        await request.BodyReader.CopyToAsync(body, cancellationToken).ConfigureAwait(false);
        body.Position = 0;
        request.Body = body;
        request.HttpContext.Features.Set<IRequestBodyPipeFeature>(new BodyPipe(PipeReader.Create(body, new StreamPipeReaderOptions(leaveOpen: true))));
        request.HttpContext.Response.RegisterForDispose(body);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.GetBuffer().AsMemory(0, (int)body.Length));
        }
        catch (JsonException e)
        {
            return body.Length == 0
                ? new Refusal(ParseError, "Parse error: the body is empty; send one JSON-RPC message, a JSON object such as {\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/list\"}.", null)
                : new Refusal(ParseError, $"Parse error: the body is not valid JSON (RFC 8259) at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}.", null);
        }

        using (document)
        {
            var tools = request.HttpContext.RequestServices.GetRequiredService<IOptions<McpServerOptions>>().Value.ToolCollection;
            return Check(document.RootElement, tools?.Select(t => t.ProtocolTool.Name).Order(StringComparer.Ordinal).ToList() ?? []);
        }
    }

    private static Refusal? Check(JsonElement message, IReadOnlyList<string> tools)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            return new Refusal(InvalidRequest, $"Invalid request: the body must be one JSON-RPC message, a JSON object, not {Kind(message)} (MCP sends no batches).", null);
        }

        if (!message.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || version.GetString() != "2.0")
        {
            return new Refusal(InvalidRequest, "Invalid request: jsonrpc must be the string \"2.0\".", null);
        }

        var hasId = message.TryGetProperty("id", out var id);
        if (hasId && !(id.ValueKind == JsonValueKind.String || (id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out _))))
        {
            // MCP: "the ID MUST be a string or integer".
            return new Refusal(InvalidRequest, $"Invalid request: id must be a string or an integer, not {Describe(id)}.", null);
        }

        foreach (var member in message.EnumerateObject())
        {
            if (!MessageMembers.Contains(member.Name))
            {
                return new Refusal(InvalidRequest, $"Invalid request: \"{Transport.RestStatusBody.Echo(member.Name, 64)}\" is not a member of a JSON-RPC message; its members are {string.Join(", ", MessageMembers)}.", null);
            }
        }

        if (!message.TryGetProperty("method", out var method))
        {
            // A response or an error from the client: the transport's to judge.
            return null;
        }

        if (method.ValueKind != JsonValueKind.String)
        {
            return new Refusal(InvalidRequest, $"Invalid request: method must be a string, not {Kind(method)}.", null);
        }

        var requestId = hasId ? JsonNode.Parse(id.GetRawText()) : null;
        var hasParams = message.TryGetProperty("params", out var parameters) && parameters.ValueKind != JsonValueKind.Null;
        if (hasParams && parameters.ValueKind != JsonValueKind.Object)
        {
            return new Refusal(InvalidParams, $"Invalid params: params must be an object, not {Kind(parameters)}.", requestId);
        }

        if (hasParams && ParamsKindProblem(method.GetString()!, parameters) is { } problem)
        {
            return new Refusal(InvalidParams, $"Invalid params: {problem}.", requestId);
        }

        if (method.GetString() != "tools/call")
        {
            return null;
        }

        var toolList = string.Join(", ", tools);
        if (!hasParams || !parameters.TryGetProperty("name", out var name) || name.ValueKind == JsonValueKind.Null)
        {
            return new Refusal(InvalidParams, $"Invalid params: tools/call needs params.name, the tool's name: one of {toolList}.", requestId);
        }

        if (name.ValueKind != JsonValueKind.String)
        {
            return new Refusal(InvalidParams, $"Invalid params: params.name must be a string, the tool's name ({toolList}), not {Kind(name)}.", requestId);
        }

        if (!tools.Contains(name.GetString()!, StringComparer.Ordinal))
        {
            return new Refusal(InvalidParams, $"Invalid params: params.name \"{Transport.RestStatusBody.Echo(name.GetString(), 64)}\" is no tool of this server; its tools are {toolList}.", requestId);
        }

        if (parameters.TryGetProperty("arguments", out var arguments) && arguments.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
        {
            return new Refusal(InvalidParams, $"Invalid params: params.arguments must be an object of the tool's arguments by name, such as {{\"environment\": \"production\", \"hours\": 2}}, not {Kind(arguments)}.", requestId);
        }

        return null;
    }

    private static readonly string[] MessageMembers = ["jsonrpc", "id", "method", "params", "result", "error"];

    // The kinds of the params members the SDK reads as typed values (MCP schema 2025-06-18):
    // anything else there would fail its deserializer with .NET text or an internal error.
    private static readonly (string Method, string Member, JsonValueKind Kind, bool Required)[] ParamsMembers =
    [
        ("*", "_meta", JsonValueKind.Object, false),
        ("initialize", "protocolVersion", JsonValueKind.String, true),
        ("initialize", "capabilities", JsonValueKind.Object, true),
        ("initialize", "clientInfo", JsonValueKind.Object, true),
        ("tools/list", "cursor", JsonValueKind.String, false),
        ("resources/list", "cursor", JsonValueKind.String, false),
        ("prompts/list", "cursor", JsonValueKind.String, false),
    ];

    private static string? ParamsKindProblem(string method, JsonElement parameters)
    {
        foreach (var (forMethod, member, kind, required) in ParamsMembers)
        {
            if (forMethod != "*" && forMethod != method)
            {
                continue;
            }

            if (!parameters.TryGetProperty(member, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (required)
                {
                    return $"{method} needs params.{member}";
                }

                continue;
            }

            if (value.ValueKind != kind)
            {
                return $"params.{member} must be {Article(kind)}, not {Kind(value)}";
            }
        }

        if (method == "initialize" && parameters.GetProperty("clientInfo") is var info)
        {
            foreach (var member in (string[])["name", "version"])
            {
                if (!info.TryGetProperty(member, out var value) || value.ValueKind != JsonValueKind.String)
                {
                    return $"params.clientInfo.{member} must be a string";
                }
            }
        }

        return null;
    }

    private static string Article(JsonValueKind kind) => kind == JsonValueKind.Object ? "an object" : "a string";

    private static string Describe(JsonElement value) => value.ValueKind == JsonValueKind.Number ? $"the number {value.GetRawText()}" : Kind(value);

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private sealed class BodyPipe(PipeReader reader) : IRequestBodyPipeFeature
    {
        public PipeReader Reader => reader;
    }

    /// <summary>A JSON-RPC error response: <c>{"jsonrpc": "2.0", "id": ..., "error": {"code": ..., "message": ...}}</c>.</summary>
    internal sealed record Refusal(int Code, string Message, JsonNode? Id)
    {
        public Task WriteAsync(HttpResponse response)
        {
            response.StatusCode = Code == InvalidParams && Id is not null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
            response.ContentType = "application/json; charset=utf-8";
            var body = new JsonObject
            {
                ["jsonrpc"] = "2.0",
                ["id"] = Id,
                ["error"] = new JsonObject { ["code"] = Code, ["message"] = Message },
            };
            return response.WriteAsync(body.ToJsonString(McpToolResults.JsonOptions), response.HttpContext.RequestAborted);
        }
    }
}
