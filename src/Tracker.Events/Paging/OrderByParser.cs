using Tracker.Events.Storage;
using Tracker.Events.Validation;

namespace Tracker.Events.Paging;

/// <summary>
/// Parses order_by as AIP-132 spells it: one field name, optionally followed by "asc" or "desc"
/// (ascending when omitted). Empty means the default, newest first. "start_date" orders by the
/// event time (start_date, else created_at), the same time search and today filter on.
/// </summary>
internal static class OrderByParser
{
    private const string Expected = "must be \"created_at\", \"start_date\" or \"priority\", optionally followed by \"asc\" or \"desc\"";

    public static EventOrder? Parse(string orderBy, Violations violations)
    {
        var parts = orderBy.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            return EventOrder.NewestFirst;
        }

        var field = parts[0].ToLowerInvariant() switch
        {
            "created_at" or "createdat" => EventSortField.CreatedAt,
            "start_date" or "startdate" => EventSortField.EventTime,
            "priority" => EventSortField.Priority,
            _ => (EventSortField?)null,
        };
        bool? descending = parts.Length switch
        {
            1 => false,
            2 => parts[1].ToLowerInvariant() switch
            {
                "asc" => false,
                "desc" => true,
                _ => null,
            },
            _ => null,
        };

        if (field is null || descending is null)
        {
            violations.Add("order_by", Expected, ViolationReasons.InvalidFormat);
            return null;
        }

        return new EventOrder(field.Value, descending.Value);
    }
}
