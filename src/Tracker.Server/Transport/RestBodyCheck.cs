using System.Text.Json;
using Google.Protobuf.Reflection;

namespace Tracker.Server.Transport;

/// <summary>
/// Checks a REST request's JSON body against the message it is read as (<see cref="RestRoute.Body"/>),
/// by protobuf's JSON mapping as JSON transcoding applies it:
/// <list type="bullet">
/// <item>every name must be a field, by JSON name or proto name (Google's APIs answer an unknown
/// one with 400; the transcoder would skip it, so a misspelt field changed nothing); the output-only
/// fields of a standard Create or Update are the exception and are ignored (AIP-203);</item>
/// <item>each field is given once per object, in one spelling, and each map key once (protobuf's
/// JSON parsers refuse a duplicate field; the transcoder would keep the last value);</item>
/// <item>a field the path binds (<c>name</c> in <c>/channels/{name}:test</c>, <c>channel.name</c> in
/// <c>PATCH /channels/{channel.name}</c>) may be repeated in the body only with the path's value,
/// as Google's APIs take a resource name in both (the transcoder would keep the path's and drop
/// the body's without a word);</item>
/// <item>every value must have its field's JSON type: a string, true or false, an integer in range,
/// an enum value's name or number, an RFC 3339 timestamp, an object for a message, an array
/// (not null) for a repeated field, an object for a map; null leaves a singular field unset; a
/// 64-bit integer as a number or a string, in range.</item>
/// </list>
/// Violations name the field by its proto path in the request message, with indexes and map keys
/// (<c>attributes.resources[0].kindd</c>, <c>attributes.labels.team</c>, <c>channel.urll</c> for a
/// body that is the request's <c>channel</c>), an unknown name as it was sent.
/// Only refuses what the transcoder refuses too or would drop; anything else is left to it.
/// </summary>
internal static class RestBodyCheck
{
    /// <summary>
    /// Checks <paramref name="body"/>, a JSON object, against <paramref name="route"/>'s body message;
    /// <paramref name="pathValues"/> are the request's route values, by field path (<c>channel.name</c>).
    /// </summary>
    public static void Check(RestRoute route, JsonElement body, RouteValueDictionary pathValues, InputViolations violations) =>
        CheckMessage(body, route.Body!, route.BodyField is null ? string.Empty : route.BodyField.Name + ".", (route, pathValues), violations);

    // top: the route and its path values when json is the body itself; null for a nested message.
    private static void CheckMessage(JsonElement json, MessageDescriptor message, string path, (RestRoute Route, RouteValueDictionary PathValues)? top, InputViolations violations)
    {
        // The name each field was given by so far in this object (start_date or startDate).
        var given = new Dictionary<int, string>();
        foreach (var property in json.EnumerateObject())
        {
            var field = ProtoFields.Find(message, property.Name);
            if (field is null)
            {
                if (top?.Route.IsIgnoredOutputOnly(property.Name) != true)
                {
                    violations.Add(path + property.Name, UnknownField(message), "UNKNOWN_FIELD");
                }

                continue;
            }

            if (!given.TryAdd(field.FieldNumber, property.Name))
            {
                var first = given[field.FieldNumber];
                violations.Add(path + property.Name, first == property.Name ? "is given more than once; it takes one value" : $"sets the same field as {first}; it takes one value", "DUPLICATE_FIELD");
                continue;
            }

            var fieldPath = path + field.Name;
            if (top is { } body && body.Route.IsPathBound(fieldPath))
            {
                var fromPath = body.PathValues.TryGetValue(fieldPath, out var routeValue) ? Convert.ToString(routeValue, System.Globalization.CultureInfo.InvariantCulture) : null;
                if (property.Value.ValueKind != JsonValueKind.String || property.Value.GetString() != fromPath)
                {
                    violations.Add(fieldPath, $"is taken from the path of {body.Route.Display} (\"{RestStatusBody.Echo(fromPath, 64)}\"); leave it out of the body or give the same value", "CONFLICTS_WITH_PATH");
                    continue;
                }
            }

            CheckField(property.Value, field, fieldPath, violations);
        }
    }

    private static void CheckField(JsonElement value, FieldDescriptor field, string path, InputViolations violations)
    {
        if (field.IsMap)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                violations.Add(path, $"must be a JSON object (a map), not {KindOf(value)}", "INVALID_TYPE");
                return;
            }

            var valueField = field.MessageType.FindFieldByNumber(2);
            var keys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in value.EnumerateObject())
            {
                if (!keys.Add(entry.Name))
                {
                    violations.Add($"{path}.{entry.Name}", "is a map key given more than once; each key takes one value", "DUPLICATE_FIELD");
                    continue;
                }

                CheckValue(entry.Value, valueField, $"{path}.{entry.Name}", violations);
            }
        }
        else if (field.IsRepeated)
        {
            if (value.ValueKind != JsonValueKind.Array)
            {
                violations.Add(path, $"must be a JSON array, not {KindOf(value)}", "INVALID_TYPE");
                return;
            }

            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                CheckValue(item, field, $"{path}[{index++}]", violations);
            }
        }
        else if (value.ValueKind != JsonValueKind.Null)
        {
            CheckValue(value, field, path, violations);
        }
    }

    /// <summary>One value of the field (an element, for a repeated field); null is refused here: only a singular field may be null.</summary>
    private static void CheckValue(JsonElement value, FieldDescriptor field, string path, InputViolations violations)
    {
        if (field.FieldType == FieldType.Message && !ProtoFields.IsWellKnown(field.MessageType))
        {
            if (value.ValueKind == JsonValueKind.Object)
            {
                CheckMessage(value, field.MessageType, path + ".", top: null, violations);
            }
            else
            {
                violations.Add(path, $"must be {ProtoFields.Expected(field)}, not {KindOf(value)}", "INVALID_TYPE");
            }

            return;
        }

        if (!Accepts(field, value))
        {
            // A string where a string may be given (an enum name, a timestamp, a 64-bit integer) is a bad value, anything else the wrong JSON type.
            var badText = value.ValueKind == JsonValueKind.String && field.FieldType is FieldType.Enum or FieldType.Message
                or FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 or FieldType.UInt64 or FieldType.Fixed64 or FieldType.Double or FieldType.Float;
            var given = value.ValueKind == JsonValueKind.String ? $"\"{RestStatusBody.Echo(value.GetString(), 64)}\"" : KindOf(value);
            violations.Add(path, $"must be {ProtoFields.Expected(field)}, not {given}", badText ? "INVALID_FORMAT" : "INVALID_TYPE");
        }
    }

    private static bool Accepts(FieldDescriptor field, JsonElement value) => field.FieldType switch
    {
        FieldType.String or FieldType.Bytes => value.ValueKind == JsonValueKind.String,
        FieldType.Bool => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _),
        FieldType.UInt32 or FieldType.Fixed32 => value.ValueKind == JsonValueKind.Number && value.TryGetUInt32(out _),
        // 64-bit integers and floating-point numbers may be quoted in proto3 JSON; the text must then
        // parse as the transcoder parses it (invariant culture), or it answers with .NET's exception text.
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => value.ValueKind == JsonValueKind.String ? ProtoFields.AcceptsText(field, value.GetString()!) : value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        FieldType.UInt64 or FieldType.Fixed64 => value.ValueKind == JsonValueKind.String ? ProtoFields.AcceptsText(field, value.GetString()!) : value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out _),
        FieldType.Double or FieldType.Float => value.ValueKind == JsonValueKind.Number || (value.ValueKind == JsonValueKind.String && ProtoFields.AcceptsText(field, value.GetString()!)),
        FieldType.Enum => value.ValueKind switch
        {
            JsonValueKind.String => field.EnumType.FindValueByName(value.GetString()) is not null,
            // An undefined number reaches the validator, which names the field.
            JsonValueKind.Number => value.TryGetInt32(out _),
            _ => false,
        },
        FieldType.Message => AcceptsWellKnown(field, value),
        _ => true,
    };

    private static bool AcceptsWellKnown(FieldDescriptor field, JsonElement value) => field.MessageType.FullName switch
    {
        "google.protobuf.Timestamp" => value.ValueKind == JsonValueKind.String && ProtoFields.Parses<Google.Protobuf.WellKnownTypes.Timestamp>(value.GetString()!),
        "google.protobuf.Duration" => value.ValueKind == JsonValueKind.String && ProtoFields.Parses<Google.Protobuf.WellKnownTypes.Duration>(value.GetString()!),
        "google.protobuf.FieldMask" => value.ValueKind == JsonValueKind.String,
        "google.protobuf.Value" => true,
        "google.protobuf.ListValue" => value.ValueKind == JsonValueKind.Array,
        _ when ProtoFields.IsWrapper(field.MessageType) => value.ValueKind == JsonValueKind.Null || Accepts(ProtoFields.WrappedValue(field.MessageType), value),
        _ => value.ValueKind == JsonValueKind.Object,
    };

    private static string UnknownField(MessageDescriptor message) =>
        $"is not a field of {message.Name}; its fields are {string.Join(", ", message.Fields.InDeclarationOrder().Select(f => f.JsonName))}";

    /// <summary>"an object", "a string"...: a JSON value's kind, as an error names it.</summary>
    public static string KindOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
