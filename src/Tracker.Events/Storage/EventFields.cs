using Google.Protobuf.Reflection;
using Tracker.Api.V1Alpha1;

namespace Tracker.Events.Storage;

/// <summary>
/// The declarations: every scalar and enum of Event and EventAttributes, the resources' fields,
/// the repeated strings and labels, and the commit position (which only sorts). Each is one
/// entry here and nowhere else; the rest of Tracker reads these. A new field of an existing
/// storage shape is one line below plus its column or migration.
/// </summary>
public sealed partial class EventField
{
    // First: the initializers below run in this file's order and append to it.
    private static readonly List<EventField> Declared = [];

    public static readonly EventField Title = Text("title", "Title", (e, _) => e.Title);
    public static readonly EventField Id = Text("id", "Id", (e, _) => e.Id, unique: true);
    public static readonly EventField CreatedAt = Number("created_at", "CreatedAt", FieldKind.Timestamp, (e, _) => EventKeys.CreatedAtMicros(e), "created_at_us", alwaysSet: true, orderAliases: ["createdAt"]);
    public static readonly EventField UpdatedAt = Number("updated_at", "UpdatedAt", FieldKind.Timestamp, (e, _) => EventKeys.ToMicros(e.UpdatedAt), "updated_at_us", alwaysSet: true);
    public static readonly EventField Message = Text("message", "Message", (_, a) => a.Message);
    public static readonly EventField Source = Text("source", "Source", (_, a) => a.Source);
    public static readonly EventField Type = EnumField("type", "Type", (_, a) => (long)a.Type, ordered: false);
    public static readonly EventField Priority = EnumField("priority", "Priority", (_, a) => (long)a.Priority);
    public static readonly EventField RelatedId = Text("related_id", "RelatedId", (_, a) => a.RelatedId);
    public static readonly EventField Service = Text("service", "Service", (_, a) => a.Service);
    public static readonly EventField Status = EnumField("status", "Status", (_, a) => (long)a.Status, ordered: false);
    public static readonly EventField Environment = EnumField("environment", "Environment", (_, a) => (long)a.Environment, ordered: false);
    public static readonly EventField Impact = EnumField("impact", "Impact", (_, a) => (long)a.Impact);

    /// <summary>Compares and sorts as the event time: start_date, or created_at where the event has none (what SearchEvents' date bounds and order_by=start_date have always meant); present when start_date itself is set.</summary>
    public static readonly EventField StartDate = Declare(new(
        "start_date", "StartDate", FieldKind.Timestamp, new EventTimeStorage("event_time_us", "start_date_us"),
        (e, _) => [FilterValue.Of(EventKeys.EventTimeMicros(e))],
        (e, _) => e.Attributes?.StartDate is not null,
        (_, e) => FilterValue.Of(EventKeys.EventTimeMicros(e)),
        orderAliases: ["startDate"]));

    /// <summary>Unset: no value, so every comparison is false; sorts before every date.</summary>
    public static readonly EventField EndDate = Declare(new(
        "end_date", "EndDate", FieldKind.Timestamp, new OptionalTimeColumnStorage("end_date_us"),
        (e, _) => e.Attributes?.EndDate is { } end ? [FilterValue.Of(EventKeys.ToMicros(end))] : [],
        (e, _) => e.Attributes?.EndDate is not null,
        (_, e) => FilterValue.Of(e.Attributes?.EndDate is { } end ? EventKeys.ToMicros(end) : EventKeys.UnsetTimeSortValue)));

    public static readonly EventField Owner = Text("owner", "Owner", (_, a) => a.Owner);
    public static readonly EventField Severity = EnumField("severity", "Severity", (_, a) => (long)a.Severity);
    public static readonly EventField Reason = Text("reason", "Reason", (_, a) => a.Reason);
    public static readonly EventField Code = Number("code", "Code", FieldKind.Integer, (_, a) => a.Code);
    public static readonly EventField Notification = Number("notification", "Notification", FieldKind.Boolean, (_, a) => a.Notification ? 1 : 0, ordered: false);

    /// <summary>How many times the event was seen (folding repeats); 0 for events recorded before folding existed.</summary>
    public static readonly EventField Count = Number("count", "Count", FieldKind.Integer, (e, _) => e.Count, "seen_count");

    /// <summary>The aggregation_key the event was created with; '' when none.</summary>
    public static readonly EventField AggregationKey = Text("aggregation_key", "AggregationKey", (e, _) => e.AggregationKey);

    public static readonly EventField StakeHolders = Repeated("stake_holders", "StakeHolders", a => a.StakeHolders);
    public static readonly EventField Notifications = Repeated("notifications", "Notifications", a => a.Notifications);

    /// <summary>The MWS events API's arguments (its seed: "arguments": ["vm1"]).</summary>
    public static readonly EventField Arguments = Repeated("arguments", "Arguments", a => a.Arguments);

    public static readonly EventField ResourceKind = Resource("resources.kind", "ResourceKind", "kind", r => r.Kind);
    public static readonly EventField ResourceId = Resource("resources.id", "ResourceId", "id", r => r.Id);
    public static readonly EventField ResourceName = Resource("resources.name", "ResourceName", "name", r => r.Name);
    public static readonly EventField ResourceNamespace = Resource("resources.namespace", "ResourceNamespace", "namespace", r => r.Namespace);

    /// <summary>attributes.labels, compared by key (the node's LabelKey).</summary>
    public static readonly EventField Labels = Declare(new(
        "labels", "Labels", FieldKind.Text, new LabelMapStorage(),
        (e, key) => Attributes(e).Labels.TryGetValue(key ?? throw new ArgumentException("A labels comparison needs a key.", nameof(key)), out var value) ? [FilterValue.Of(value)] : [],
        (e, key) => key is null ? Attributes(e).Labels.Count > 0 : Attributes(e).Labels.ContainsKey(key),
        sortValue: null));

    /// <summary>Not a filter field: the order events were committed in, which after_id walks.</summary>
    public static readonly EventField Sequence = new(
        "seq", "Sequence", FieldKind.Integer, new ColumnStorage("seq"),
        (_, _) => throw new InvalidOperationException("The commit position is not in the event; it only sorts."),
        (_, _) => true,
        (stored, _) => FilterValue.Of(stored.Sequence),
        unique: true,
        filterable: false);

    /// <summary>Every filterable field, in the order above.</summary>
    internal static IReadOnlyList<EventField> Listed => Declared;

    private static readonly EventAttributes EmptyAttributes = new();

    private static EventAttributes Attributes(Event e) => e.Attributes ?? EmptyAttributes;

    private static EventField Declare(EventField field)
    {
        Declared.Add(field);
        return field;
    }

    private static EventField Text(string name, string stableName, Func<Event, EventAttributes, string> read, bool unique = false) => Declare(new(
        name, stableName, FieldKind.Text, new ColumnStorage(name),
        (e, _) => [FilterValue.Of(read(e, Attributes(e)))],
        (e, _) => read(e, Attributes(e)).Length > 0,
        (_, e) => FilterValue.Of(read(e, Attributes(e))),
        unique: unique));

    private static EventField Number(
        string name, string stableName, FieldKind kind, Func<Event, EventAttributes, long> read, string? column = null,
        bool ordered = true, bool alwaysSet = false, IReadOnlyList<string>? orderAliases = null, EnumDescriptor? enumDescriptor = null) => Declare(new(
        name, stableName, kind, new ColumnStorage(column ?? name, alwaysSet),
        (e, _) => [FilterValue.Of(read(e, Attributes(e)))],
        (e, _) => alwaysSet || read(e, Attributes(e)) != 0,
        (_, e) => FilterValue.Of(read(e, Attributes(e))),
        enumDescriptor, ordered, orderAliases: orderAliases));

    // The enum's descriptor is the proto enum named like the field's stable name (Severity, Type, ...).
    private static EventField EnumField(string name, string stableName, Func<Event, EventAttributes, long> read, bool ordered = true) =>
        Number(name, stableName, FieldKind.Enum, read, ordered: ordered, enumDescriptor: EventReflection.Descriptor.FindTypeByName<EnumDescriptor>(stableName));

    private static EventField Repeated(string name, string stableName, Func<EventAttributes, IReadOnlyList<string>> read) => Declare(new(
        name, stableName, FieldKind.Text, new RepeatedTextStorage(name),
        (e, _) => read(Attributes(e)).Select(FilterValue.Of),
        (e, _) => read(Attributes(e)).Count > 0,
        sortValue: null));

    // A resource counts as having the member when the member is set in it.
    private static EventField Resource(string name, string stableName, string member, Func<ResourceRef, string> read) => Declare(new(
        name, stableName, FieldKind.Text, new ResourceMemberStorage(member),
        (e, _) => Attributes(e).Resources.Select(r => FilterValue.Of(read(r))),
        (e, _) => Attributes(e).Resources.Any(r => read(r).Length > 0),
        sortValue: null));
}

/// <summary>
/// The catalog of filterable and sortable fields: the declarations of <see cref="EventField"/>,
/// in one list, and how a path finds one.
/// </summary>
public static class EventFields
{
    public const string AttributesPrefix = "attributes.";
    public const string LabelsPrefix = "labels.";

    /// <summary>Every field a filter can name (the commit position, which only sorts, is not among them).</summary>
    public static IReadOnlyList<EventField> All { get; } = EventField.Listed.ToArray();

    private static readonly Dictionary<string, EventField> ByName = All.ToDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>The field a path names ("severity", "attributes.severity", "resources.name"), or null. Labels are found by <see cref="IsLabel"/>.</summary>
    public static EventField? Find(string path)
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
}
