using Google.Protobuf.Reflection;
using Tracker.Api.V1Alpha1;

namespace Tracker.Events.Storage;

/// <summary>One searchable field: its proto name, how it compares, and what it allows.</summary>
/// <param name="Name">The proto path, without the optional "attributes." prefix.</param>
/// <param name="Field">The field, as the stores know it.</param>
/// <param name="Kind">How its values compare.</param>
/// <param name="Enum">The enum's descriptor, for enum fields.</param>
/// <param name="Ordered">Whether &lt; and &gt; apply. Ordered enums compare by rank, UNSPECIFIED having none.</param>
/// <param name="Many">A repeated field, a resource field or labels: matches when any element does; never sorts.</param>
public sealed record EventFieldInfo(string Name, EventField Field, FieldKind Kind, EnumDescriptor? Enum = null, bool Ordered = true, bool Many = false)
{
    public bool Sortable => !Many;
}

/// <summary>
/// The catalog of searchable fields (issue 11, item 1): every scalar and enum of Event and
/// EventAttributes, the resources' fields, stake_holders, notifications and labels.
/// </summary>
public static class EventFields
{
    public const string AttributesPrefix = "attributes.";
    public const string LabelsPrefix = "labels.";

    public static IReadOnlyList<EventFieldInfo> All { get; } =
    [
        new("title", EventField.Title, FieldKind.Text),
        new("id", EventField.Id, FieldKind.Text),
        new("created_at", EventField.CreatedAt, FieldKind.Timestamp),
        new("updated_at", EventField.UpdatedAt, FieldKind.Timestamp),
        new("message", EventField.Message, FieldKind.Text),
        new("source", EventField.Source, FieldKind.Text),
        new("type", EventField.Type, FieldKind.Enum, EnumNamed("Type"), Ordered: false),
        new("priority", EventField.Priority, FieldKind.Enum, EnumNamed("Priority")),
        new("related_id", EventField.RelatedId, FieldKind.Text),
        new("service", EventField.Service, FieldKind.Text),
        new("status", EventField.Status, FieldKind.Enum, EnumNamed("Status"), Ordered: false),
        new("environment", EventField.Environment, FieldKind.Enum, EnumNamed("Environment"), Ordered: false),
        new("impact", EventField.Impact, FieldKind.Enum, EnumNamed("Impact")),
        new("start_date", EventField.StartDate, FieldKind.Timestamp),
        new("end_date", EventField.EndDate, FieldKind.Timestamp),
        new("owner", EventField.Owner, FieldKind.Text),
        new("severity", EventField.Severity, FieldKind.Enum, EnumNamed("Severity")),
        new("reason", EventField.Reason, FieldKind.Text),
        new("code", EventField.Code, FieldKind.Integer),
        new("notification", EventField.Notification, FieldKind.Boolean, Ordered: false),

        // Issue 12: folding's output fields.
        new("count", EventField.Count, FieldKind.Integer),
        new("aggregation_key", EventField.AggregationKey, FieldKind.Text),
        new("stake_holders", EventField.StakeHolders, FieldKind.Text, Many: true),
        new("notifications", EventField.Notifications, FieldKind.Text, Many: true),
        new("resources.kind", EventField.ResourceKind, FieldKind.Text, Many: true),
        new("resources.id", EventField.ResourceId, FieldKind.Text, Many: true),
        new("resources.name", EventField.ResourceName, FieldKind.Text, Many: true),
        new("resources.namespace", EventField.ResourceNamespace, FieldKind.Text, Many: true),
        new("labels", EventField.Labels, FieldKind.Text, Many: true),
    ];

    private static EnumDescriptor EnumNamed(string name) => EventReflection.Descriptor.FindTypeByName<EnumDescriptor>(name);

    private static readonly Dictionary<string, EventFieldInfo> ByName = All.ToDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>The field a path names ("severity", "attributes.severity", "resources.name"), or null. Labels are found by <see cref="IsLabel"/>.</summary>
    public static EventFieldInfo? Find(string path)
    {
        var name = path.StartsWith(AttributesPrefix, StringComparison.Ordinal) ? path[AttributesPrefix.Length..] : path;
        return ByName.GetValueOrDefault(name);
    }

    /// <summary>Whether a path is "labels.&lt;key&gt;" (or "attributes.labels.&lt;key&gt;"), and its key.</summary>
    public static bool IsLabel(string path, out string key)
    {
        var name = path.StartsWith(AttributesPrefix, StringComparison.Ordinal) ? path[AttributesPrefix.Length..] : path;
        key = name.StartsWith(LabelsPrefix, StringComparison.Ordinal) ? name[LabelsPrefix.Length..] : string.Empty;
        return key.Length > 0;
    }

    public static EventFieldInfo Info(EventField field) => All.First(f => f.Field == field);
}
