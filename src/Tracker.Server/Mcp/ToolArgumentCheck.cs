using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Server;

namespace Tracker.Server.Mcp;

/// <summary>
/// Checks a tools/call's arguments against the tool's input schema before the SDK binds them
/// (<see cref="ToolCallFilter"/>, once the caller may call the tool), so
/// that a model that sends a number as text, leaves out a required argument or misspells one gets
/// a tool error naming each argument and what it must be ("page_size must be an integer"), where
/// the SDK would answer only "An error occurred invoking 'search_events'." or drop the unknown
/// argument without a word.
/// </summary>
internal static class ToolArgumentCheck
{
    /// <summary>
    /// The problems of <paramref name="arguments"/> against <paramref name="schema"/> (a JSON
    /// Schema object with properties and required). An integer argument written as an integral
    /// number (1.0, which JSON Schema counts as an integer) is rewritten as one (1), for the binder.
    /// </summary>
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

        var integers = new Dictionary<string, JsonElement>();
        foreach (var (name, value) in arguments ?? new Dictionary<string, JsonElement>())
        {
            if (properties.ValueKind != JsonValueKind.Object || !properties.TryGetProperty(name, out var property))
            {
                var known = properties.ValueKind == JsonValueKind.Object ? string.Join(", ", properties.EnumerateObject().Select(p => p.Name)) : string.Empty;
                problems.Add(name, $"is not an argument of this tool; its arguments are {known}");
            }
            else if (property.TryGetProperty("type", out var type) && !Types(type).Any(t => Matches(value, t)))
            {
                problems.Add(name, $"must be {Expected(type)}, not {Kind(value)}");
            }
            else if (value.ValueKind == JsonValueKind.Object && property.TryGetProperty("additionalProperties", out var members) && members.TryGetProperty("type", out var memberType))
            {
                // Each member by its name (labels.team), as the API names a map's entries.
                foreach (var member in value.EnumerateObject().Where(m => !Types(memberType).Any(t => Matches(m.Value, t))))
                {
                    problems.Add($"{name}.{member.Name}", $"must be {Expected(memberType)}, not {Kind(member.Value)}");
                }
            }
            else if (value.ValueKind == JsonValueKind.Number && type.ValueKind != JsonValueKind.Undefined && Types(type).Contains("integer") && !value.TryGetInt32(out _))
            {
                integers[name] = JsonSerializer.SerializeToElement((int)value.GetDouble());
            }
        }

        foreach (var (name, integer) in integers)
        {
            arguments![name] = integer;
        }

        return problems;
    }

    /// <summary>
    /// The schema of every map argument (labels) says its values are strings, as the check and
    /// the API require (a protobuf map holds no null), where the SDK's generated schema lets them
    /// be null.
    /// </summary>
    public static void RequireStringMapValues(McpServerTool tool)
    {
        var schema = JsonNode.Parse(tool.ProtocolTool.InputSchema.GetRawText())!;
        foreach (var (_, property) in schema["properties"]?.AsObject() ?? [])
        {
            if (property?["additionalProperties"] is JsonObject members && members["type"] is JsonArray types && types.Any(t => t?.GetValue<string>() == "string"))
            {
                members["type"] = "string";
            }
        }

        tool.ProtocolTool.InputSchema = JsonSerializer.SerializeToElement(schema);
    }

    private static IEnumerable<string> Types(JsonElement type) =>
        type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!) : [type.GetString()!];

    private static string Expected(JsonElement type) => string.Join(" or ", Types(type).Where(t => t != "null").Select(Article));

    private static bool Matches(JsonElement value, string type) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        "integer" => value.ValueKind == JsonValueKind.Number && IsInteger(value),
        "number" => value.ValueKind == JsonValueKind.Number,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => true,
    };

    // JSON Schema: an integer is a number with no fractional part (1.0 is one); here also 32-bit.
    private static bool IsInteger(JsonElement value) =>
        value.TryGetInt32(out _) || (value.TryGetDouble(out var number) && number == Math.Floor(number) && number is >= int.MinValue and <= int.MaxValue);

    private static string Article(string type) => type switch
    {
        "integer" => "an integer (32-bit)",
        "object" => "an object",
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
