using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using ModelContextProtocol.Protocol;
using Tracker.Api.V1Alpha1;

namespace Tracker.Server.Mcp;

/// <summary>
/// What a tool answers: the API's messages as proto3 JSON (lowerCamelCase, enums by name, as the
/// REST API writes them, with fields at their defaults left out so the model reads less), or a
/// tool error (<see cref="CallToolResult.IsError"/>) the model can act on. An error reads
/// "CODE: message", the API's status code and message, followed by each field violation of its
/// google.rpc.BadRequest that the message does not already give ("- filter: ..."); never an
/// exception's text or stack. Every tool's JSON is written the same way (<see cref="JsonOptions"/>):
/// compact, with text as raw UTF-8 ("café &amp; co", not "caf\u00E9 \u0026 co").
/// </summary>
internal static class McpToolResults
{
    /// <summary>The one JSON writer of the MCP endpoint's own JSON: compact, text as raw UTF-8 (escaping only what JSON requires).</summary>
    public static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default);

    public static CallToolResult Ok(IMessage message) => Ok(JsonNode.Parse(Json.Format(message))!);

    public static CallToolResult Ok(JsonNode json) => Text(json.ToJsonString(JsonOptions), isError: false);

    /// <summary>
    /// A page of events as {events, totalCount, totalCountRelation, nextPageToken}, every member
    /// written even when empty or 0 (the model must see that nothing matched, and that the last
    /// page has no token), totalCount as a JSON number as REST writes it; <paramref name="first"/>
    /// members go before them.
    /// </summary>
    public static CallToolResult Ok(SearchEventsResponse page, JsonObject? first = null)
    {
        var json = first ?? [];
        var events = new JsonArray();
        foreach (var found in page.Events)
        {
            events.Add(JsonNode.Parse(Json.Format(found)));
        }

        json["events"] = events;
        json["totalCount"] = page.TotalCount;
        json["totalCountRelation"] = ProtoEnumArgument<TotalCountRelation>.NameOf(page.TotalCountRelation);
        json["nextPageToken"] = page.NextPageToken;
        return Ok(json);
    }

    public static CallToolResult Failed(ToolArgumentProblems problems) => Text(problems.Describe(), isError: true);

    public static CallToolResult Failed(RpcException error)
    {
        var text = new StringBuilder()
            .Append(ProtoEnumArgument<Code>.NameOf((Code)error.StatusCode))
            .Append(": ")
            .Append(error.Status.Detail);
        if (error.GetRpcStatus()?.GetDetail<BadRequest>() is { } badRequest)
        {
            // The message summarizes the first violations; the rest are listed after it.
            foreach (var violation in badRequest.FieldViolations.Where(v => !error.Status.Detail.Contains($"{v.Field} {v.Description}", StringComparison.Ordinal)))
            {
                text.Append("\n- ").Append(violation.Field).Append(": ").Append(violation.Description);
            }
        }

        return Text(text.ToString(), isError: true);
    }

    private static CallToolResult Text(string text, bool isError) => new()
    {
        Content = [new TextContentBlock { Text = text }],
        IsError = isError,
    };
}
