using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Tracker.Grpc.Transcoding;

/// <summary>
/// Reads proto3 JSON into a message over its descriptor: fields by JSON (lowerCamelCase) or
/// proto name, enums by name, number or numeric string, 64-bit integers as numbers or strings.
/// Unlike Google.Protobuf's JsonParser it reports which fields were present (for the implied
/// update mask) and names the JSON path in every error. Types with their own JSON form
/// (Timestamp, Duration, FieldMask, wrappers, Struct/Value/ListValue, Any) go to JsonParser.
/// </summary>
internal sealed class ProtoJsonReader
{
    // Both spellings of every field, built once per message type.
    private static readonly ConcurrentDictionary<MessageDescriptor, FrozenDictionary<string, FieldDescriptor>> FieldsByName = new();

    private readonly JsonParser _wellKnownParser;
    private readonly bool _ignoreUnknownFields;

    public ProtoJsonReader(JsonParser wellKnownParser, bool ignoreUnknownFields)
    {
        _wellKnownParser = wellKnownParser;
        _ignoreUnknownFields = ignoreUnknownFields;
    }

    /// <summary>
    /// Merges a JSON value into <paramref name="message"/>. <paramref name="presentPaths"/>, when
    /// given, receives the dotted proto-name paths of the leaf fields the JSON contained.
    /// </summary>
    public void Merge(IMessage message, JsonElement json, ICollection<string>? presentPaths = null)
    {
        if (WellKnownTypes.HasSpecialJson(message.Descriptor))
        {
            message.MergeFrom(ParseSpecial(message.Descriptor, json, "").ToByteString());
            return;
        }

        MergeObject(message, json, "", "", presentPaths);
    }

    /// <summary>Sets one top-level field (a body naming a field) from a JSON value.</summary>
    public void MergeField(IMessage message, FieldDescriptor field, JsonElement json, ICollection<string>? presentPaths = null)
    {
        MergeFieldValue(message, field, json, field.JsonName, "", presentPaths, out _);
    }

    private void MergeObject(IMessage message, JsonElement json, string jsonPath, string protoPrefix, ICollection<string>? presentPaths)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw BindingErrors.InvalidField(jsonPath.Length == 0 ? "body" : jsonPath, $"expected a JSON object for {message.Descriptor.FullName}");
        }

        var descriptor = message.Descriptor;
        Dictionary<OneofDescriptor, string>? oneofs = null;
        foreach (var property in json.EnumerateObject())
        {
            var path = jsonPath.Length == 0 ? property.Name : $"{jsonPath}.{property.Name}";
            var field = FindField(descriptor, property.Name);
            if (field is null)
            {
                if (_ignoreUnknownFields)
                {
                    continue;
                }

                throw BindingErrors.InvalidField(path, $"unknown field of {descriptor.FullName}");
            }

            MergeFieldValue(message, field, property.Value, path, protoPrefix, presentPaths, out var setValue);
            if (setValue && field.RealContainingOneof is { } oneof)
            {
                oneofs ??= [];
                if (oneofs.TryGetValue(oneof, out var other))
                {
                    throw BindingErrors.InvalidField(path, $"'{other}' of the same oneof '{oneof.Name}' is also set");
                }

                oneofs[oneof] = property.Name;
            }
        }
    }

    /// <summary>The field named by its JSON name or its proto name.</summary>
    public static FieldDescriptor? FindField(MessageDescriptor descriptor, string name) =>
        FieldsByName.GetOrAdd(descriptor, BuildFieldNames).GetValueOrDefault(name);

    private static FrozenDictionary<string, FieldDescriptor> BuildFieldNames(MessageDescriptor descriptor)
    {
        var names = new Dictionary<string, FieldDescriptor>(StringComparer.Ordinal);
        foreach (var field in descriptor.Fields.InDeclarationOrder())
        {
            names.TryAdd(field.Name, field);
        }

        // A JSON name wins over another field's proto name, as in JsonParser.
        foreach (var field in descriptor.Fields.InDeclarationOrder())
        {
            names[field.JsonName] = field;
        }

        return names.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private void MergeFieldValue(
        IMessage message, FieldDescriptor field, JsonElement json, string jsonPath, string protoPrefix,
        ICollection<string>? presentPaths, out bool setValue)
    {
        var protoPath = protoPrefix + field.Name;
        setValue = json.ValueKind != JsonValueKind.Null;
        var accessor = field.Accessor;
        if (field.IsMap)
        {
            presentPaths?.Add(protoPath);
            var map = (IDictionary)accessor.GetValue(message);
            ReadMap(map, field, json, jsonPath);
            return;
        }

        if (field.IsRepeated)
        {
            presentPaths?.Add(protoPath);
            var list = (IList)accessor.GetValue(message);
            ReadList(list, field, json, jsonPath);
            return;
        }

        if (field.FieldType == FieldType.Message && !WellKnownTypes.HasSpecialJson(field.MessageType)
            && json.ValueKind == JsonValueKind.Object)
        {
            var child = (IMessage?)accessor.GetValue(message);
            if (child is null)
            {
                child = (IMessage)Activator.CreateInstance(field.MessageType.ClrType)!;
                accessor.SetValue(message, child);
            }

            if (presentPaths is not null && !json.EnumerateObject().Any())
            {
                presentPaths.Add(protoPath);
            }

            MergeObject(child, json, jsonPath, protoPath + ".", presentPaths);
            return;
        }

        presentPaths?.Add(protoPath);
        if (json.ValueKind == JsonValueKind.Null && !IsNullable(field))
        {
            accessor.Clear(message);
            return;
        }

        accessor.SetValue(message, ReadSingle(field, json, jsonPath));
    }

    // google.protobuf.Value and NullValue take JSON null as a value; every other field is cleared by it.
    private static bool IsNullable(FieldDescriptor field) =>
        (field.FieldType == FieldType.Message && field.MessageType.FullName == "google.protobuf.Value")
        || (field.FieldType == FieldType.Enum && field.EnumType.FullName == "google.protobuf.NullValue");

    private void ReadList(IList list, FieldDescriptor field, JsonElement json, string jsonPath)
    {
        if (json.ValueKind == JsonValueKind.Null)
        {
            list.Clear();
            return;
        }

        if (json.ValueKind != JsonValueKind.Array)
        {
            throw BindingErrors.InvalidField(jsonPath, "expected a JSON array");
        }

        list.Clear();
        var index = 0;
        foreach (var item in json.EnumerateArray())
        {
            var itemPath = $"{jsonPath}[{index++}]";
            if (item.ValueKind == JsonValueKind.Null && !IsNullable(field))
            {
                throw BindingErrors.InvalidField(itemPath, "repeated field elements cannot be null");
            }

            list.Add(ReadSingle(field, item, itemPath));
        }
    }

    private void ReadMap(IDictionary map, FieldDescriptor field, JsonElement json, string jsonPath)
    {
        if (json.ValueKind == JsonValueKind.Null)
        {
            map.Clear();
            return;
        }

        if (json.ValueKind != JsonValueKind.Object)
        {
            throw BindingErrors.InvalidField(jsonPath, "expected a JSON object");
        }

        map.Clear();
        var keyField = field.MessageType.FindFieldByNumber(1);
        var valueField = field.MessageType.FindFieldByNumber(2);
        foreach (var entry in json.EnumerateObject())
        {
            var entryPath = $"{jsonPath}[\"{entry.Name}\"]";
            var key = FieldTextConverter.ConvertScalar(keyField.FieldType, entry.Name)
                ?? throw BindingErrors.InvalidField(entryPath, $"invalid map key: {FieldTextConverter.ScalarExpectation(keyField.FieldType)}");
            if (entry.Value.ValueKind == JsonValueKind.Null && !IsNullable(valueField))
            {
                throw BindingErrors.InvalidField(entryPath, "map values cannot be null");
            }

            map[key] = ReadSingle(valueField, entry.Value, entryPath);
        }
    }

    /// <summary>One non-repeated value of the field's type, as the field's accessor takes it.</summary>
    private object ReadSingle(FieldDescriptor field, JsonElement json, string jsonPath)
    {
        switch (field.FieldType)
        {
            case FieldType.Message when WellKnownTypes.HasSpecialJson(field.MessageType):
                return WellKnownTypes.ToAccessorValue(field, ParseSpecial(field.MessageType, json, jsonPath))!;
            case FieldType.Message:
                var child = (IMessage)Activator.CreateInstance(field.MessageType.ClrType)!;
                MergeObject(child, json, jsonPath, "", null);
                return child;
            case FieldType.Enum:
                return ReadEnum(field.EnumType, json, jsonPath);
            default:
                return ReadScalar(field.FieldType, json)
                    ?? throw BindingErrors.InvalidField(jsonPath, FieldTextConverter.ScalarExpectation(field.FieldType));
        }
    }

    private IMessage ParseSpecial(MessageDescriptor type, JsonElement json, string jsonPath)
    {
        try
        {
            return _wellKnownParser.Parse(json.GetRawText(), type);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException or OverflowException or InvalidOperationException)
        {
            throw BindingErrors.InvalidField(jsonPath.Length == 0 ? "body" : jsonPath, WellKnownTypes.Expectation(type));
        }
    }

    private static int ReadEnum(EnumDescriptor type, JsonElement json, string jsonPath)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.Null when type.FullName == "google.protobuf.NullValue":
                return 0;
            case JsonValueKind.Number when json.TryGetInt32(out var number):
                return number;
            case JsonValueKind.String:
                var text = json.GetString()!;
                if (type.FindValueByName(text) is { } value)
                {
                    return value.Number;
                }

                if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var fromText))
                {
                    return fromText;
                }

                throw BindingErrors.InvalidField(jsonPath, $"unknown value '{text}' for enum {type.FullName}");
            default:
                throw BindingErrors.InvalidField(jsonPath, $"expected a name or number of enum {type.FullName}");
        }
    }

    /// <summary>A scalar from a JSON number, string or boolean as proto3 JSON allows, or null.</summary>
    private static object? ReadScalar(FieldType type, JsonElement json)
    {
        switch (type)
        {
            case FieldType.String:
                return json.ValueKind == JsonValueKind.String ? json.GetString() : null;
            case FieldType.Bool:
                return json.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => null,
                };
            case FieldType.Bytes:
                return json.ValueKind == JsonValueKind.String ? FieldTextConverter.ParseBytes(json.GetString()!) : null;
            case FieldType.Double or FieldType.Float:
                if (json.ValueKind == JsonValueKind.Number)
                {
                    var d = json.GetDouble();
                    return type == FieldType.Double ? d : FieldTextConverter.ToFloat(d);
                }

                return json.ValueKind == JsonValueKind.String ? FieldTextConverter.ConvertScalar(type, json.GetString()!) : null;
            default:
                return json.ValueKind switch
                {
                    JsonValueKind.Number => ReadIntegerNumber(type, json),
                    JsonValueKind.String => ReadIntegerText(type, json.GetString()!),
                    _ => null,
                };
        }
    }

    private static object? ReadIntegerText(FieldType type, string text)
    {
        if (FieldTextConverter.ConvertScalar(type, text) is { } exact)
        {
            return exact;
        }

        // "1e3" and "5.0" are integers in proto3 JSON too.
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? IntegerFromDouble(type, d) : null;
    }

    private static object? ReadIntegerNumber(FieldType type, JsonElement json)
    {
        switch (type)
        {
            case FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 when json.TryGetInt32(out var i):
                return i;
            case FieldType.UInt32 or FieldType.Fixed32 when json.TryGetUInt32(out var u):
                return u;
            case FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 when json.TryGetInt64(out var l):
                return l;
            case FieldType.UInt64 or FieldType.Fixed64 when json.TryGetUInt64(out var ul):
                return ul;
        }

        return json.TryGetDouble(out var d) ? IntegerFromDouble(type, d) : null;
    }

    private static object? IntegerFromDouble(FieldType type, double d)
    {
        if (!double.IsFinite(d) || Math.Floor(d) != d)
        {
            return null;
        }

        return type switch
        {
            FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 when d is >= int.MinValue and <= int.MaxValue => (int)d,
            FieldType.UInt32 or FieldType.Fixed32 when d is >= 0 and <= uint.MaxValue => (uint)d,
            FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 when d >= long.MinValue && d < 9.2233720368547758E18 => (long)d,
            FieldType.UInt64 or FieldType.Fixed64 when d >= 0 && d < 1.8446744073709552E19 => (ulong)d,
            _ => null,
        };
    }
}
