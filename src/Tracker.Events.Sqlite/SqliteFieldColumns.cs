using Tracker.Events.Storage;

namespace Tracker.Events.Sqlite;

/// <summary>
/// Where each <see cref="EventField"/> lives in the schema (migrations 1 to 3): the closed set of
/// column names and expressions the query compilers splice into SQL.
/// </summary>
internal static class SqliteFieldColumns
{
    /// <summary>
    /// The expression an order sorts <paramref name="field"/> by, as <see cref="EventKeys.SortValue"/>
    /// defines it: start_date is the event time, an unset end_date sorts first.
    /// </summary>
    public static string Sort(EventField field) => field switch
    {
        EventField.StartDate => "event_time_us",

        // long.MinValue, spelled so that SQLite reads an integer, not a real.
        EventField.EndDate => "COALESCE(end_date_us, -9223372036854775807 - 1)",
        EventField.Sequence => "seq",
        _ => Scalar(field),
    };

    /// <summary>The column holding a single-valued field; start_date compares as the event time.</summary>
    public static string Scalar(EventField field) => field switch
    {
        EventField.Title => "title",
        EventField.Id => "id",
        EventField.CreatedAt => "created_at_us",
        EventField.UpdatedAt => "updated_at_us",
        EventField.Message => "message",
        EventField.Source => "source",
        EventField.Type => "type",
        EventField.Priority => "priority",
        EventField.RelatedId => "related_id",
        EventField.Service => "service",
        EventField.Status => "status",
        EventField.Environment => "environment",
        EventField.Impact => "impact",
        EventField.StartDate => "event_time_us",
        EventField.EndDate => "end_date_us",
        EventField.Owner => "owner",
        EventField.Severity => "severity",
        EventField.Reason => "reason",
        EventField.Code => "code",
        EventField.Notification => "notification",
        EventField.Count => "seen_count",
        EventField.AggregationKey => "aggregation_key",
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a single-valued field."),
    };

    /// <summary>
    /// The side table of a field with many values, the column compared, and the condition that
    /// picks the field's rows in a shared table (null when the table holds that field only).
    /// </summary>
    public static (string Table, string Column, string? Rows) Many(EventField field) => field switch
    {
        EventField.StakeHolders => ("event_repeated_values", "value", $"field = '{SqliteSearchRows.StakeHolders}'"),
        EventField.Notifications => ("event_repeated_values", "value", $"field = '{SqliteSearchRows.Notifications}'"),
        EventField.ResourceKind => ("event_resources", "kind", null),
        EventField.ResourceId => ("event_resources", "id", null),
        EventField.ResourceName => ("event_resources", "name", null),
        EventField.ResourceNamespace => ("event_resources", "namespace", null),
        EventField.Labels => ("event_labels", "value", null),
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a field with many values."),
    };
}
