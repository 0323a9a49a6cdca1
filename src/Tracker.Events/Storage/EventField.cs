using Google.Protobuf.Reflection;
using Tracker.Api.V1Alpha1;

namespace Tracker.Events.Storage;

/// <summary>
/// One field a query can filter or sort on, declared once in <see cref="EventFields"/>: its names,
/// how its values compare, how they are read from an <see cref="Event"/>, and the storage shape
/// through which every store reaches it. The declaration is the field's identity: filter nodes,
/// sort keys, the watch matcher, the sort values of page tokens and both stores' SQL all take it
/// as it is, so a field cannot be known to one of them and missing from another.
/// </summary>
public sealed partial class EventField
{
    private readonly Func<Event, string?, IEnumerable<FilterValue>> _values;
    private readonly Func<Event, string?, bool> _isSet;
    private readonly Func<StoredEvent, Event, FilterValue>? _sortValue;

    internal EventField(
        string name,
        string stableName,
        FieldKind kind,
        FieldStorage storage,
        Func<Event, string?, IEnumerable<FilterValue>> values,
        Func<Event, string?, bool> isSet,
        Func<StoredEvent, Event, FilterValue>? sortValue,
        EnumDescriptor? enumDescriptor = null,
        bool ordered = true,
        bool unique = false,
        IReadOnlyList<string>? orderAliases = null,
        bool filterable = true)
    {
        Name = name;
        StableName = stableName;
        Kind = kind;
        Storage = storage;
        Enum = enumDescriptor;
        Ordered = ordered;
        Unique = unique;
        OrderAliases = orderAliases ?? [];
        Filterable = filterable;
        _values = values;
        _isSet = isSet;
        _sortValue = sortValue;
    }

    /// <summary>The proto path without the optional "attributes." prefix ("severity", "resources.kind").</summary>
    public string Name { get; }

    /// <summary>
    /// The name query fingerprints carry (the C# name the field had as an enum member, "CreatedAt"):
    /// page tokens already handed out stay bound to their query only while it does not change.
    /// </summary>
    public string StableName { get; }

    /// <summary>Other spellings order_by accepts, compared without case ("createdAt").</summary>
    public IReadOnlyList<string> OrderAliases { get; }

    /// <summary>How its values compare.</summary>
    public FieldKind Kind { get; }

    /// <summary>The enum's descriptor, for enum fields.</summary>
    public EnumDescriptor? Enum { get; }

    /// <summary>Whether &lt; and &gt; apply. Ordered enums compare by rank, UNSPECIFIED having none.</summary>
    public bool Ordered { get; }

    /// <summary>A repeated field, a resource field or labels: matches when any element does; never sorts.</summary>
    public bool Many => Storage.Many;

    public bool Sortable => !Many;

    /// <summary>No two events share its value (id, the commit position): an order ends with it (AIP-132 needs no tie-break after it).</summary>
    public bool Unique { get; }

    /// <summary>Whether a filter may name it; the commit position only sorts.</summary>
    public bool Filterable { get; }

    /// <summary>Where the stores keep it: one of the closed set of shapes each SQL dialect implements once.</summary>
    public FieldStorage Storage { get; }

    /// <summary>
    /// The values a comparison tests in <paramref name="e"/>: one for a scalar (none for an unset
    /// end_date), every element of a repeated or resource field, the value of
    /// <paramref name="labelKey"/> for labels (none when absent). Text fields give text, the rest numbers.
    /// </summary>
    public IEnumerable<FilterValue> ValuesIn(Event e, string? labelKey = null) => _values(e, labelKey);

    /// <summary>
    /// Whether the field is set (AIP-160 <c>field:*</c>, MongoDB <c>$exists</c>): text not empty,
    /// an enum not UNSPECIFIED, a number or flag not zero, a timestamp present, a list not empty,
    /// a resource with this member set, the label key present (any label without a key).
    /// </summary>
    public bool IsSetIn(Event e, string? labelKey = null) => _isSet(e, labelKey);

    /// <summary>
    /// The value a store sorts by, as page tokens carry it: text as it is, every other kind as a
    /// number (unset text is empty, an unset enum or number 0, an unset end_date
    /// <see cref="EventKeys.UnsetTimeSortValue"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The field has many values and does not sort.</exception>
    public FilterValue SortValue(StoredEvent stored, Event e) =>
        _sortValue is { } read ? read(stored, e) : throw new InvalidOperationException($"{Name} has many values and does not sort.");

    /// <summary>The stable name, which is what logs and messages about a node show.</summary>
    public override string ToString() => StableName;
}

/// <summary>How a field's values compare.</summary>
public enum FieldKind
{
    /// <summary>Text, compared by its UTF-8 bytes (binary collation on both stores).</summary>
    Text,

    /// <summary>An enum, stored and compared by number.</summary>
    Enum,

    /// <summary>A 64-bit integer.</summary>
    Integer,

    /// <summary>0 or 1.</summary>
    Boolean,

    /// <summary>Microseconds since the Unix epoch.</summary>
    Timestamp,
}
