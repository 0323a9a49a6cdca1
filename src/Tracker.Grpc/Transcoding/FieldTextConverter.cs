using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Tracker.Grpc.Transcoding;

/// <summary>
/// Converts one path-variable or query-string value to what a field's accessor takes: scalars
/// in their JSON text forms, enums by name, number or short name, and Timestamp, Duration,
/// FieldMask and wrapper types from their JSON string forms.
/// </summary>
internal sealed class FieldTextConverter
{
    private readonly JsonParser _wellKnownParser;

    public FieldTextConverter(JsonParser wellKnownParser)
    {
        _wellKnownParser = wellKnownParser;
    }

    /// <summary>Whether a single text value can set this field (or each element of it when repeated).</summary>
    public static bool CanConvert(FieldDescriptor field) =>
        !field.IsMap && (field.FieldType != FieldType.Message || WellKnownTypes.IsTextConvertible(field.MessageType));

    /// <param name="name">The key or variable, named in errors.</param>
    public object Convert(FieldDescriptor field, string text, string name)
    {
        if (field.FieldType == FieldType.Message)
        {
            return ConvertMessage(field, text, name);
        }

        if (field.FieldType == FieldType.Enum)
        {
            return ConvertEnum(field.EnumType, text, name);
        }

        return ConvertScalar(field.FieldType, text) ?? throw BindingErrors.InvalidField(name, ScalarExpectation(field.FieldType));
    }

    private object ConvertMessage(FieldDescriptor field, string text, string name)
    {
        var type = field.MessageType;
        if (WellKnownTypes.IsWrapper(type))
        {
            var wrapped = WellKnownTypes.WrappedField(type);
            return ConvertScalar(wrapped.FieldType, text) ?? throw BindingErrors.InvalidField(name, WellKnownTypes.Expectation(type));
        }

        try
        {
            return _wellKnownParser.Parse(JsonSerializer.Serialize(text), type);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException or OverflowException)
        {
            throw BindingErrors.InvalidField(name, WellKnownTypes.Expectation(type));
        }
    }

    /// <summary>
    /// An enum value by exact name, by number, or case-insensitively by name with or without the
    /// enum's UPPER_SNAKE prefix (Type.TYPE_DEPLOYMENT from "deployment").
    /// </summary>
    public static object ConvertEnum(EnumDescriptor type, string text, string name)
    {
        if (type.FindValueByName(text) is { } exact)
        {
            return exact.Number;
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        var prefix = EnumPrefix(type);
        foreach (var value in type.Values)
        {
            if (string.Equals(value.Name, text, StringComparison.OrdinalIgnoreCase)
                || (value.Name.StartsWith(prefix, StringComparison.Ordinal)
                    && string.Equals(value.Name[prefix.Length..], text, StringComparison.OrdinalIgnoreCase)))
            {
                return value.Number;
            }
        }

        throw BindingErrors.InvalidField(name, $"unknown value '{text}' for enum {type.FullName}");
    }

    /// <summary>"Type" -> "TYPE_", "EventType" -> "EVENT_TYPE_": the prefix buf's lint requires.</summary>
    public static string EnumPrefix(EnumDescriptor type)
    {
        var builder = new System.Text.StringBuilder();
        var name = type.Name;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (i > 0 && char.IsUpper(c) && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
            {
                builder.Append('_');
            }

            builder.Append(char.ToUpperInvariant(c));
        }

        return builder.Append('_').ToString();
    }

    /// <summary>A scalar from its JSON text form (numbers, "NaN"/"Infinity", base64 bytes), or null when invalid.</summary>
    public static object? ConvertScalar(FieldType type, string text)
    {
        var invariant = CultureInfo.InvariantCulture;
        const NumberStyles integer = NumberStyles.AllowLeadingSign;
        return type switch
        {
            FieldType.String => text,
            FieldType.Bool => bool.TryParse(text, out var b) ? b : null,
            FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => int.TryParse(text, integer, invariant, out var i) ? i : null,
            FieldType.UInt32 or FieldType.Fixed32 => uint.TryParse(text, NumberStyles.None, invariant, out var u) ? u : null,
            FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => long.TryParse(text, integer, invariant, out var l) ? l : null,
            FieldType.UInt64 or FieldType.Fixed64 => ulong.TryParse(text, NumberStyles.None, invariant, out var ul) ? ul : null,
            FieldType.Double => ParseDouble(text),
            FieldType.Float => ParseDouble(text) is { } d ? ToFloat(d) : null,
            FieldType.Bytes => ParseBytes(text),
            _ => null,
        };
    }

    /// <summary>
    /// A double as a float, or null when it is out of float range. Values that round to
    /// float.MaxValue (such as its own text form "3.4028235E+38") are in range.
    /// </summary>
    public static float? ToFloat(double value)
    {
        var single = (float)value;
        return float.IsInfinity(single) && !double.IsInfinity(value) ? null : single;
    }

    public static string ScalarExpectation(FieldType type) => type switch
    {
        FieldType.Bool => "expected true or false",
        FieldType.Double or FieldType.Float => "expected a number",
        FieldType.Bytes => "expected base64",
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => "expected a 32-bit integer",
        FieldType.UInt32 or FieldType.Fixed32 => "expected an unsigned 32-bit integer",
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => "expected a 64-bit integer",
        FieldType.UInt64 or FieldType.Fixed64 => "expected an unsigned 64-bit integer",
        _ => "expected a string",
    };

    private static double? ParseDouble(string text) => text switch
    {
        "NaN" => double.NaN,
        "Infinity" => double.PositiveInfinity,
        "-Infinity" => double.NegativeInfinity,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : null,
    };

    /// <summary>Standard or URL-safe base64, padding optional, as proto3 JSON accepts.</summary>
    public static ByteString? ParseBytes(string text)
    {
        var normalized = text.Replace('-', '+').Replace('_', '/');
        normalized = normalized.PadRight(normalized.Length + ((4 - (normalized.Length % 4)) % 4), '=');
        var buffer = new byte[normalized.Length];
        return System.Convert.TryFromBase64String(normalized, buffer, out var written)
            ? ByteString.CopyFrom(buffer, 0, written)
            : null;
    }
}
