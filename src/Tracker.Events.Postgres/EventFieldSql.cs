using System.Globalization;
using Tracker.Events.Storage;

namespace Tracker.Events.Postgres;

/// <summary>
/// Where each <see cref="EventField"/> lives in the events table. Only these names are ever
/// spliced into SQL; every value goes in a parameter.
/// </summary>
internal static class EventFieldSql
{
    /// <summary>
    /// What a scalar field compares and sorts by. start_date is the event time (start_date, else
    /// created_at); end_date is NULL where unset.
    /// </summary>
    public static string Column(EventField field) => field switch
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
        EventField.Sequence => "seq",
        EventField.Count => "seen_count",
        EventField.AggregationKey => "aggregation_key",
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a scalar field."),
    };

    /// <summary>The sort value of <see cref="EventKeys.SortValue"/> as SQL: an unset end_date sorts first.</summary>
    public static string SortExpression(EventField field) => field == EventField.EndDate
        ? "COALESCE(end_date_us, (" + EventKeys.UnsetTimeSortValue.ToString(CultureInfo.InvariantCulture) + ")::bigint)"
        : Column(field);

    /// <summary>The key of a resource field in each object of the resources column.</summary>
    public static string ResourceKey(EventField field) => field switch
    {
        EventField.ResourceKind => EventJson.KindKey,
        EventField.ResourceId => EventJson.IdKey,
        EventField.ResourceName => EventJson.NameKey,
        EventField.ResourceNamespace => EventJson.NamespaceKey,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a resource field."),
    };

    /// <summary>The jsonb array column of a repeated text field.</summary>
    public static string ArrayColumn(EventField field) => field switch
    {
        EventField.StakeHolders => "stake_holders",
        EventField.Notifications => "notifications",
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a repeated field."),
    };

    /// <summary>Whether the field holds text (the commit position is a number, and not in the catalog).</summary>
    public static bool IsText(EventField field) => field != EventField.Sequence && EventFields.Info(field).Kind == FieldKind.Text;
}
