using System.Text;
using Google.Protobuf.Reflection;
using Tracker.Events.Storage;

namespace Tracker.Server.Schema;

/// <summary>
/// The filterable fields as a Markdown table (CommonMark with the GFM table extension), one row
/// per element of <see cref="EventFields.All"/>, in its order: the README's field list
/// ("Searching") and the OpenAPI description of every <c>filter</c> parameter are this text, so
/// that neither lists a field by hand.
/// </summary>
internal static class EventFieldTable
{
    /// <summary>Every row ends with a line feed; the header comes first.</summary>
    public static string Markdown(IEnumerable<EventField> fields)
    {
        var table = new StringBuilder()
            .Append("| field | kind | `order_by` |\n")
            .Append("|---|---|---|\n");
        foreach (var field in fields)
        {
            table.Append("| `").Append(field.Name).Append("` | ")
                .Append(KindText(field)).Append(" | ")
                .Append(field.Many ? "no" : "yes").Append(" |\n");
        }

        return table.ToString();
    }

    /// <summary>"text", "boolean, unordered", "enum, ordered by rank: `A`, `B`", "text, any element".</summary>
    private static string KindText(EventField field)
    {
        var kind = field.Kind switch
        {
            FieldKind.Text => "text",
            FieldKind.Integer => "integer",
            FieldKind.Boolean => "boolean",
            FieldKind.Timestamp => "time",
            FieldKind.Enum => field.Ordered ? "enum, ordered by rank" : "enum",
            _ => field.Kind.ToString().ToLowerInvariant(),
        };
        if (!field.Ordered)
        {
            // Only = and != (and :) apply: no <, <=, >, >=.
            kind += ", unordered";
        }

        if (field.Many)
        {
            kind += ", any element";
        }

        if (field.Enum is { } values)
        {
            kind += ": " + string.Join(", ", SettableValues(values).Select(v => $"`{v.Name}`"));
        }

        return kind;
    }

    /// <summary>The values but the zero one (UNSPECIFIED: not set), in declaration order.</summary>
    private static IEnumerable<EnumValueDescriptor> SettableValues(EnumDescriptor values) =>
        values.Values.Where(v => v.Number != 0);
}
