using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace Tracker.Server.Transport;

/// <summary>
/// The proto3 JSON facts the REST checks share (protobuf's "ProtoJSON format"): how a name finds
/// a field, which fields take one string or number, and the words that describe a field's values
/// in an error ("must be true or false").
/// </summary>
internal static class ProtoFields
{
    private const string WrappersFile = "google/protobuf/wrappers.proto";

    /// <summary>
    /// The field a JSON or query name means: its JSON name (<c>perPage</c>) or, failing that, its
    /// proto name (<c>per_page</c>), as JSON transcoding looks names up; null for neither.
    /// </summary>
    public static FieldDescriptor? Find(MessageDescriptor message, string name)
    {
        FieldDescriptor? byProtoName = null;
        foreach (var field in message.Fields.InDeclarationOrder())
        {
            if (field.JsonName == name)
            {
                return field;
            }

            if (field.Name == name)
            {
                byProtoName ??= field;
            }
        }

        return byProtoName;
    }

    /// <summary>Whether the field's JSON value is one string, number or boolean: a scalar, an enum, or a well-known type written as one (Timestamp, Duration, FieldMask, the wrappers).</summary>
    public static bool IsScalarLike(FieldDescriptor field) =>
        field.FieldType != FieldType.Message || IsWrapper(field.MessageType) || field.MessageType.FullName is "google.protobuf.Timestamp" or "google.protobuf.Duration" or "google.protobuf.FieldMask";

    public static bool IsWrapper(MessageDescriptor message) => message.File.Name == WrappersFile;

    /// <summary>Whether a message is one of protobuf's well-known types, which have JSON forms of their own.</summary>
    public static bool IsWellKnown(MessageDescriptor message) => message.File.Package == "google.protobuf";

    /// <summary>The value field of a wrapper (google.protobuf.Int32Value's <c>value</c>).</summary>
    public static FieldDescriptor WrappedValue(MessageDescriptor wrapper) => wrapper.FindFieldByNumber(1);

    /// <summary>What a value of the field must be, in words that follow "must be".</summary>
    public static string Expected(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.Bool => "true or false",
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => $"an integer from {int.MinValue} to {int.MaxValue}",
        FieldType.UInt32 or FieldType.Fixed32 => $"an integer from 0 to {uint.MaxValue}",
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => $"an integer from {long.MinValue} to {long.MaxValue}",
        FieldType.UInt64 or FieldType.Fixed64 => $"an integer from 0 to {ulong.MaxValue}",
        FieldType.Double or FieldType.Float => "a number",
        FieldType.Bytes => "base64 text",
        FieldType.String => "a string",
        FieldType.Enum => $"one of {string.Join(", ", field.EnumType.Values.Select(v => v.Name))} (or its number)",
        _ => field.MessageType.FullName switch
        {
            "google.protobuf.Timestamp" => "an RFC 3339 timestamp such as 2024-01-15T10:00:00Z",
            "google.protobuf.Duration" => "a duration in seconds such as 30s or 1.5s",
            "google.protobuf.FieldMask" => "comma-separated field paths such as title,attributes.status",
            _ when IsWrapper(field.MessageType) => Expected(WrappedValue(field.MessageType)),
            _ => $"a JSON object ({field.MessageType.Name})",
        },
    };

    /// <summary>
    /// Whether <paramref name="text"/> is a value of the scalar-like field as a query parameter
    /// gives it, by the conversions JSON transcoding applies to query values (invariant culture:
    /// integers in range, true/false, an enum value's name or number, RFC 3339, seconds).
    /// </summary>
    public static bool AcceptsText(FieldDescriptor field, string text)
    {
        const NumberStyles Integer = NumberStyles.Integer;
        var invariant = CultureInfo.InvariantCulture;
        return field.FieldType switch
        {
            FieldType.String => true,
            FieldType.Bool => bool.TryParse(text, out _),
            FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => int.TryParse(text, Integer, invariant, out _),
            FieldType.UInt32 or FieldType.Fixed32 => uint.TryParse(text, Integer, invariant, out _),
            FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => long.TryParse(text, Integer, invariant, out _),
            FieldType.UInt64 or FieldType.Fixed64 => ulong.TryParse(text, Integer, invariant, out _),
            FieldType.Double or FieldType.Float => double.TryParse(text, NumberStyles.Float | NumberStyles.AllowThousands, invariant, out _),
            FieldType.Bytes => IsBase64(text),
            FieldType.Enum => int.TryParse(text, Integer, invariant, out var number)
                ? field.EnumType.FindValueByNumber(number) is not null
                : field.EnumType.FindValueByName(text) is not null,
            FieldType.Message when IsWrapper(field.MessageType) => AcceptsText(WrappedValue(field.MessageType), text),
            FieldType.Message => field.MessageType.FullName switch
            {
                "google.protobuf.Timestamp" => Parses<Timestamp>(text),
                "google.protobuf.Duration" => Parses<Duration>(text),
                "google.protobuf.FieldMask" => true,
                _ => false,
            },
            _ => false,
        };
    }

    /// <summary>Whether a JSON string is a Timestamp or Duration in protobuf's JSON form (the parser JSON transcoding's own follows).</summary>
    public static bool Parses<T>(string text)
        where T : IMessage, new()
    {
        try
        {
            JsonParser.Default.Parse<T>(System.Text.Json.JsonSerializer.Serialize(text));
            return true;
        }
        catch (InvalidProtocolBufferException)
        {
            return false;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool IsBase64(string text) => Convert.TryFromBase64String(text, new byte[text.Length], out _);
}
