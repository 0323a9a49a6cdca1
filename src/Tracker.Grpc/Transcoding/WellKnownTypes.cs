using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Tracker.Grpc.Transcoding;

/// <summary>
/// The google.protobuf types whose JSON form is not an object of their fields, and the way
/// generated C# exposes wrapper fields (as the wrapped primitive, not as a message).
/// </summary>
internal static class WellKnownTypes
{
    private static readonly HashSet<string> Wrappers =
    [
        "google.protobuf.DoubleValue", "google.protobuf.FloatValue", "google.protobuf.Int64Value",
        "google.protobuf.UInt64Value", "google.protobuf.Int32Value", "google.protobuf.UInt32Value",
        "google.protobuf.BoolValue", "google.protobuf.StringValue", "google.protobuf.BytesValue",
    ];

    private static readonly HashSet<string> SpecialJson =
    [
        .. Wrappers,
        "google.protobuf.Any", "google.protobuf.Timestamp", "google.protobuf.Duration",
        "google.protobuf.FieldMask", "google.protobuf.Struct", "google.protobuf.Value",
        "google.protobuf.ListValue",
    ];

    public static bool IsWrapper(MessageDescriptor message) => Wrappers.Contains(message.FullName);

    /// <summary>Whether the type has its own JSON form (a string, number, any value...).</summary>
    public static bool HasSpecialJson(MessageDescriptor message) => SpecialJson.Contains(message.FullName);

    /// <summary>Whether a query or path value (one string) can set a field of this message type.</summary>
    public static bool IsTextConvertible(MessageDescriptor message) =>
        IsWrapper(message) || message.FullName is "google.protobuf.Timestamp" or "google.protobuf.Duration" or "google.protobuf.FieldMask";

    /// <summary>The wrapped value field ("value" = 1) of a wrapper type.</summary>
    public static FieldDescriptor WrappedField(MessageDescriptor wrapper) => wrapper.FindFieldByNumber(1);

    /// <summary>What a field accessor takes for a parsed message of the field's type.</summary>
    public static object? ToAccessorValue(FieldDescriptor field, IMessage message) =>
        field.FieldType == FieldType.Message && IsWrapper(field.MessageType)
            ? WrappedField(field.MessageType).Accessor.GetValue(message)
            : message;

    /// <summary>A short description of the JSON a special type expects, for error messages.</summary>
    public static string Expectation(MessageDescriptor message) => message.FullName switch
    {
        "google.protobuf.Timestamp" => "expected an RFC 3339 timestamp such as \"2024-01-15T10:00:00Z\"",
        "google.protobuf.Duration" => "expected a duration in seconds such as \"1.5s\"",
        "google.protobuf.FieldMask" => "expected comma-separated lowerCamelCase field paths such as \"title,attributes.status\"",
        "google.protobuf.Any" => "expected an object with a known \"@type\"",
        "google.protobuf.Struct" => "expected a JSON object",
        "google.protobuf.ListValue" => "expected a JSON array",
        "google.protobuf.Value" => "expected a JSON value",
        "google.protobuf.BoolValue" => "expected true or false",
        "google.protobuf.StringValue" => "expected a string",
        "google.protobuf.BytesValue" => "expected a base64 string",
        "google.protobuf.DoubleValue" or "google.protobuf.FloatValue" => "expected a number",
        _ => "expected an integer in range",
    };
}
