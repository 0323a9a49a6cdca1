namespace Tracker.Events.Storage;

/// <summary>
/// The event fields a query can filter or sort on (issue 11, item 1). Each store maps each one
/// to a column or a side table; <see cref="EventFields"/> holds their names and types.
/// </summary>
public enum EventField
{
    Title,
    Id,
    CreatedAt,
    UpdatedAt,
    Message,
    Source,
    Type,
    Priority,
    RelatedId,
    Service,
    Status,
    Environment,
    Impact,

    /// <summary>The event time: start_date, or created_at where the event has none (what SearchEvents' date bounds and order_by=start_date have always meant).</summary>
    StartDate,
    EndDate,
    Owner,
    Severity,
    Reason,
    Code,
    Notification,

    /// <summary>Repeated: a comparison holds when any element matches.</summary>
    StakeHolders,

    /// <summary>Repeated: a comparison holds when any element matches.</summary>
    Notifications,

    /// <summary>A field of attributes.resources; a comparison holds when any resource matches.</summary>
    ResourceKind,
    ResourceId,
    ResourceName,
    ResourceNamespace,

    /// <summary>attributes.labels, compared by key (the comparison's LabelKey).</summary>
    Labels,

    /// <summary>Not a filter field: the order events were committed in, which after_id walks.</summary>
    Sequence,

    /// <summary>How many times the event was seen (issue 12's folding); 0 for events recorded before it.</summary>
    Count,

    /// <summary>The aggregation_key the event was created with; '' when none.</summary>
    AggregationKey,
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
