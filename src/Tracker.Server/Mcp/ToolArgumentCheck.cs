using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Tracker.Server.Mcp;

/// <summary>
/// Checks a tools/call's arguments against the tool's input schema before the SDK binds them, so
/// that a model that sends a number as text, leaves out a required argument or misspells one gets
/// a tool error naming each argument and what it must be ("page_size must be an integer"), where
/// the SDK would answer only "An error occurred invoking 'search_events'." or drop the unknown
/// argument without a word.
/// </summary>
internal static class ToolArgumentCheck
{
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Filter(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        (request, cancellationToken) =>
            request.MatchedPrimitive is McpServerTool tool && Check(tool.ProtocolTool.InputSchema, request.Params?.Arguments) is { Any: true } problems
                ? ValueTask.FromResult(McpToolResults.Failed(problems))
                : next(request, cancellationToken);

    /// <summary>The problems of <paramref name="arguments"/> against <paramref name="schema"/> (a JSON Schema object with properties and required).</summary>
    public static ToolArgumentProblems Check(JsonElement schema, IDictionary<string, JsonElement>? arguments)
    {
        var problems = new ToolArgumentProblems();
        var properties = schema.TryGetProperty("properties", out var declared) ? declared : default;
        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
            {
                if (arguments is null || !arguments.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
                {
                    problems.Add(name, "is required");
                }
            }
        }

        foreach (var (name, value) in arguments ?? new Dictionary<string, JsonElement>())
        {
            if (properties.ValueKind != JsonValueKind.Object || !properties.TryGetProperty(name, out var property))
            {
                var known = properties.ValueKind == JsonValueKind.Object ? string.Join(", ", properties.EnumerateObject().Select(p => p.Name)) : string.Empty;
                problems.Add(name, $"is not an argument of this tool; its arguments are {known}");
            }
            else if (property.TryGetProperty("type", out var type) && !Types(type).Any(t => Matches(value, t)))
            {
                problems.Add(name, $"must be {string.Join(" or ", Types(type).Where(t => t != "null").Select(Article))}, not {Kind(value)}");
            }
        }

        return problems;
    }

    private static IEnumerable<string> Types(JsonElement type) =>
        type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!) : [type.GetString()!];

    private static bool Matches(JsonElement value, string type) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "object" => value.ValueKind == JsonValueKind.Object && value.EnumerateObject().All(p => p.Value.ValueKind == JsonValueKind.String),
        "array" => value.ValueKind == JsonValueKind.Array,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => true,
    };

    private static string Article(string type) => type switch
    {
        "integer" => "an integer (32-bit)",
        "object" => "an object whose values are strings",
        "array" => "an array",
        _ => "a " + type,
    };

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "the number " + value.GetRawText(),
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => "null",
    };
}
