using System.Text;
using System.Text.Json.Nodes;
using Google.Protobuf.Reflection;

namespace Tracker.Grpc.Transcoding;

/// <summary>
/// Generates an OpenAPI 3.1 document from the transcoded routes and their descriptors: a path
/// per binding, path and query parameters, request and response schemas as components, enums
/// by name, and the proto comments as descriptions. Built once, at start-up.
/// </summary>
internal sealed class OpenApiDocumentGenerator
{
    private const int MaxQueryDepth = 8;
    private const string StatusSchema = "google.rpc.Status";

    private readonly ProtoCommentIndex _comments;
    private readonly JsonObject _schemas = [];

    private OpenApiDocumentGenerator(ProtoCommentIndex comments)
    {
        _comments = comments;
    }

    public static JsonObject Generate(IReadOnlyList<TranscodingRoute> routes, ProtoCommentIndex comments, string title, string version)
    {
        return new OpenApiDocumentGenerator(comments).Build(routes, title, version);
    }

    private JsonObject Build(IReadOnlyList<TranscodingRoute> routes, string title, string version)
    {
        var paths = new JsonObject();
        var operationIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var route in routes)
        {
            var path = OpenApiPath(route.Pattern);
            if (paths[path] is not JsonObject item)
            {
                item = [];
                paths[path] = item;
            }

            var verb = route.HttpMethod.ToLowerInvariant();
            if (!IsOpenApiMethod(verb) || item.ContainsKey(verb))
            {
                // OpenAPI has no place for custom HTTP methods, nor for two templates that read the same.
                continue;
            }

            item[verb] = Operation(route, operationIds);
        }

        AddMessageSchema(Google.Rpc.Status.Descriptor);
        var info = new JsonObject { ["title"] = title, ["version"] = version };
        var tags = new JsonArray();
        foreach (var service in routes.Select(r => r.Method.Descriptor.Service).DistinctBy(s => s.FullName))
        {
            tags.Add(WithDescription(new JsonObject { ["name"] = service.FullName }, _comments.Find(service.FullName)));
        }

        return new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = info,
            ["tags"] = tags,
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = SortedSchemas() },
        };
    }

    private static bool IsOpenApiMethod(string verb) =>
        verb is "get" or "put" or "post" or "delete" or "options" or "head" or "patch" or "trace";

    /// <summary>"/v1/{name=shelves/*}:archive" -> "/v1/{name}:archive".</summary>
    private static string OpenApiPath(HttpRoutePattern pattern)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < pattern.Segments.Count; i++)
        {
            var variable = pattern.Variables.FirstOrDefault(v => v.StartSegment == i);
            if (variable is not null)
            {
                builder.Append("/{").Append(variable.FieldPathText).Append('}');
                i = variable.EndSegment - 1;
                continue;
            }

            builder.Append('/').Append(pattern.Segments[i]);
        }

        if (pattern.Verb is { } verb)
        {
            builder.Append(':').Append(verb);
        }

        return builder.ToString();
    }

    private JsonObject Operation(TranscodingRoute route, HashSet<string> operationIds)
    {
        var method = route.Method.Descriptor;
        var operationId = method.FullName;
        for (var n = 2; !operationIds.Add(operationId); n++)
        {
            operationId = $"{method.FullName}{n}";
        }

        var operation = new JsonObject
        {
            ["operationId"] = operationId,
            ["tags"] = new JsonArray(method.Service.FullName),
        };
        WithDescription(operation, _comments.Find(method.FullName));
        var parameters = Parameters(route);
        if (parameters.Count > 0)
        {
            operation["parameters"] = parameters;
        }

        if (route.HasBody)
        {
            var schema = route.BodyField is { } field ? FieldSchema(field) : Reference(method.InputType);
            operation["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["content"] = JsonContent(schema),
            };
        }

        var responseSchema = route.ResponseBodyField is { } responseField ? FieldSchema(responseField) : Reference(method.OutputType);
        var success = method.IsServerStreaming
            ? "A stream of responses, one JSON message per line (newline-delimited JSON)."
            : "OK";
        operation["responses"] = new JsonObject
        {
            ["200"] = new JsonObject { ["description"] = success, ["content"] = JsonContent(responseSchema) },
            ["default"] = new JsonObject
            {
                ["description"] = "An error, as a google.rpc.Status.",
                ["content"] = JsonContent(new JsonObject { ["$ref"] = $"#/components/schemas/{StatusSchema}" }),
            },
        };
        return operation;
    }

    private static JsonObject JsonContent(JsonNode schema) =>
        new() { ["application/json"] = new JsonObject { ["schema"] = schema } };

    private JsonArray Parameters(TranscodingRoute route)
    {
        var parameters = new JsonArray();
        for (var i = 0; i < route.Pattern.Variables.Count; i++)
        {
            var variable = route.Pattern.Variables[i];
            var leaf = route.VariableFields[i][^1];
            var schema = ParameterSchema(leaf);
            if (variable.EndSegment - variable.StartSegment != 1 || route.Pattern.Segments[variable.StartSegment].Kind != PatternSegmentKind.AnySegment)
            {
                var segments = route.Pattern.Segments.Skip(variable.StartSegment).Take(variable.EndSegment - variable.StartSegment);
                schema["description"] = $"Matches the path segments '{string.Join('/', segments)}'.";
            }

            var parameter = new JsonObject
            {
                ["name"] = variable.FieldPathText,
                ["in"] = "path",
                ["required"] = true,
                ["schema"] = schema,
            };
            parameters.Add(WithDescription(parameter, _comments.Find(leaf.FullName)));
        }

        if (!route.BodyIsWholeMessage)
        {
            var bound = route.VariableFields.Select(v => v.ToList()).ToList();
            AddQueryParameters(parameters, route, route.Method.Descriptor.InputType, [], bound, [route.Method.Descriptor.InputType.FullName]);
        }

        return parameters;
    }

    private void AddQueryParameters(
        JsonArray parameters, TranscodingRoute route, MessageDescriptor message, List<FieldDescriptor> prefix,
        List<List<FieldDescriptor>> pathBound, HashSet<string> visiting)
    {
        foreach (var field in message.Fields.InDeclarationOrder())
        {
            if (prefix.Count == 0 && field == route.BodyField)
            {
                continue;
            }

            List<FieldDescriptor> path = [.. prefix, field];
            if (pathBound.Any(b => b.Count == path.Count && b.SequenceEqual(path)))
            {
                continue;
            }

            if (FieldTextConverter.CanConvert(field))
            {
                var parameter = new JsonObject
                {
                    ["name"] = string.Join('.', path.Select(f => f.JsonName)),
                    ["in"] = "query",
                    ["schema"] = field.IsRepeated ? new JsonObject { ["type"] = "array", ["items"] = ParameterSchema(field) } : ParameterSchema(field),
                };
                parameters.Add(WithDescription(parameter, _comments.Find(field.FullName)));
            }
            else if (field is { FieldType: FieldType.Message, IsRepeated: false } && !WellKnownTypes.HasSpecialJson(field.MessageType)
                && prefix.Count < MaxQueryDepth && visiting.Add(field.MessageType.FullName))
            {
                AddQueryParameters(parameters, route, field.MessageType, path, pathBound, visiting);
                visiting.Remove(field.MessageType.FullName);
            }
        }
    }

    // Parameters spell enums out inline, so their names show next to the parameter.
    private JsonObject ParameterSchema(FieldDescriptor field) =>
        field.FieldType == FieldType.Enum ? EnumSchema(field.EnumType) : SingleSchema(field);

    /// <summary>The schema of a field's value in JSON: arrays for repeated, objects for maps.</summary>
    private JsonObject FieldSchema(FieldDescriptor field)
    {
        JsonObject schema;
        if (field.IsMap)
        {
            schema = new JsonObject { ["type"] = "object", ["additionalProperties"] = SingleSchema(field.MessageType.FindFieldByNumber(2)) };
        }
        else if (field.IsRepeated)
        {
            schema = new JsonObject { ["type"] = "array", ["items"] = SingleSchema(field) };
        }
        else
        {
            schema = SingleSchema(field);
        }

        return WithDescription(schema, _comments.Find(field.FullName));
    }

    private JsonObject SingleSchema(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.Message => Reference(field.MessageType),
        FieldType.Enum => Reference(field.EnumType),
        FieldType.String => new JsonObject { ["type"] = "string" },
        FieldType.Bytes => new JsonObject { ["type"] = "string", ["contentEncoding"] = "base64" },
        FieldType.Bool => new JsonObject { ["type"] = "boolean" },
        FieldType.Double => new JsonObject { ["type"] = "number", ["format"] = "double" },
        FieldType.Float => new JsonObject { ["type"] = "number", ["format"] = "float" },
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => new JsonObject { ["type"] = "integer", ["format"] = "int32" },
        FieldType.UInt32 or FieldType.Fixed32 => new JsonObject { ["type"] = "integer", ["format"] = "uint32", ["minimum"] = 0 },
        // 64-bit integers are JSON strings in proto3 JSON, so that no precision is lost.
        FieldType.UInt64 or FieldType.Fixed64 => new JsonObject { ["type"] = "string", ["format"] = "uint64" },
        _ => new JsonObject { ["type"] = "string", ["format"] = "int64" },
    };

    private JsonObject Reference(MessageDescriptor message)
    {
        if (SpecialSchema(message) is { } special)
        {
            return special;
        }

        AddMessageSchema(message);
        return new JsonObject { ["$ref"] = $"#/components/schemas/{message.FullName}" };
    }

    private JsonObject Reference(EnumDescriptor type)
    {
        if (!_schemas.ContainsKey(type.FullName))
        {
            _schemas[type.FullName] = EnumSchema(type);
        }

        return new JsonObject { ["$ref"] = $"#/components/schemas/{type.FullName}" };
    }

    private JsonObject EnumSchema(EnumDescriptor type)
    {
        var names = new JsonArray();
        var lines = new List<string>();
        if (_comments.Find(type.FullName) is { } comment)
        {
            lines.Add(comment);
        }

        foreach (var value in type.Values)
        {
            names.Add(value.Name);
            if (_comments.Find($"{type.FullName}.{value.Name}") is { } valueComment)
            {
                lines.Add($"- {value.Name} ({value.Number}): {valueComment}");
            }
        }

        var schema = new JsonObject { ["type"] = "string", ["enum"] = names };
        return WithDescription(schema, lines.Count > 0 ? string.Join('\n', lines) : null);
    }

    private void AddMessageSchema(MessageDescriptor message)
    {
        if (_schemas.ContainsKey(message.FullName))
        {
            return;
        }

        var properties = new JsonObject();
        var schema = new JsonObject { ["type"] = "object" };
        WithDescription(schema, _comments.Find(message.FullName));
        schema["properties"] = properties;

        // Registered before its fields so that recursive messages end.
        _schemas[message.FullName] = schema;
        foreach (var field in message.Fields.InDeclarationOrder())
        {
            properties[field.JsonName] = FieldSchema(field);
        }
    }

    /// <summary>The schemas of the types with their own JSON form, inline.</summary>
    private static JsonObject? SpecialSchema(MessageDescriptor message) => message.FullName switch
    {
        "google.protobuf.Timestamp" => new JsonObject { ["type"] = "string", ["format"] = "date-time" },
        "google.protobuf.Duration" => new JsonObject { ["type"] = "string", ["pattern"] = "^-?[0-9]+(\\.[0-9]{1,9})?s$" },
        "google.protobuf.FieldMask" => new JsonObject { ["type"] = "string", ["description"] = "Comma-separated lowerCamelCase field paths." },
        "google.protobuf.Struct" => new JsonObject { ["type"] = "object", ["additionalProperties"] = true },
        "google.protobuf.Value" => [],
        "google.protobuf.ListValue" => new JsonObject { ["type"] = "array", ["items"] = new JsonObject() },
        "google.protobuf.Any" => new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject { ["@type"] = new JsonObject { ["type"] = "string" } },
            ["required"] = new JsonArray("@type"),
            ["additionalProperties"] = true,
        },
        "google.protobuf.DoubleValue" or "google.protobuf.FloatValue" => new JsonObject { ["type"] = new JsonArray("number", "null") },
        "google.protobuf.Int32Value" or "google.protobuf.UInt32Value" => new JsonObject { ["type"] = new JsonArray("integer", "null") },
        "google.protobuf.Int64Value" or "google.protobuf.UInt64Value" => new JsonObject { ["type"] = new JsonArray("string", "null"), ["format"] = "int64" },
        "google.protobuf.BoolValue" => new JsonObject { ["type"] = new JsonArray("boolean", "null") },
        "google.protobuf.StringValue" => new JsonObject { ["type"] = new JsonArray("string", "null") },
        "google.protobuf.BytesValue" => new JsonObject { ["type"] = new JsonArray("string", "null"), ["contentEncoding"] = "base64" },
        _ => null,
    };

    private static JsonObject WithDescription(JsonObject node, string? description)
    {
        if (description is not null && !node.ContainsKey("description"))
        {
            node["description"] = description;
        }

        return node;
    }

    private JsonObject SortedSchemas()
    {
        var sorted = new JsonObject();
        foreach (var name in _schemas.Select(p => p.Key).Order(StringComparer.Ordinal).ToList())
        {
            var schema = _schemas[name]!;
            _schemas.Remove(name);
            sorted[name] = schema;
        }

        return sorted;
    }
}
