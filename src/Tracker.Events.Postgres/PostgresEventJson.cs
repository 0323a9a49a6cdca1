using System.Buffers;
using System.Text;
using System.Text.Json;
using Google.Protobuf.Collections;
using Tracker.Api.V1Alpha1;

namespace Tracker.Events.Postgres;

/// <summary>
/// The jsonb values of an event's many-valued fields, in the shapes the GIN indexes and
/// <see cref="PostgresSqlDialect"/> expect: labels as one object, resources as an array of
/// objects that always carry all four fields (so that kind = "" finds a resource without a
/// kind), each repeated string field as an array of strings.
/// </summary>
internal static class PostgresEventJson
{
    /// <summary>The resource fields a filter can name, as they are keyed in the resources column.</summary>
    public const string KindKey = "kind";
    public const string IdKey = "id";
    public const string NameKey = "name";
    public const string NamespaceKey = "namespace";

    public static string Labels(MapField<string, string> labels) => Write(json =>
    {
        json.WriteStartObject();
        foreach (var (key, value) in labels)
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
    });

    public static string Resources(RepeatedField<ResourceRef> resources) => Write(json =>
    {
        json.WriteStartArray();
        foreach (var resource in resources)
        {
            json.WriteStartObject();
            json.WriteString(KindKey, resource.Kind);
            json.WriteString(IdKey, resource.Id);
            json.WriteString(NameKey, resource.Name);
            json.WriteString(NamespaceKey, resource.Namespace);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    });

    public static string Strings(IEnumerable<string> values) => Write(json =>
    {
        json.WriteStartArray();
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    });

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
