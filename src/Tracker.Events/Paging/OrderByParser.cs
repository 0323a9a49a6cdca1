using Tracker.Events.Storage;
using Tracker.Events.Validation;

namespace Tracker.Events.Paging;

/// <summary>
/// Parses order_by as AIP-132 spells it: comma-separated keys, each a field name optionally
/// followed by "asc" or "desc" (ascending when omitted), e.g. "severity desc, start_date desc".
/// Every scalar of the filter catalog (<see cref="EventFields"/>) sorts, with or without the
/// "attributes." prefix; "start_date" is the event time (start_date, else created_at). Ties are
/// broken by id. Empty means the default, newest first.
/// </summary>
internal static class OrderByParser
{
    public const int MaxKeys = 8;

    public static EventOrder? Parse(string orderBy, Violations violations)
    {
        if (string.IsNullOrWhiteSpace(orderBy))
        {
            return EventOrder.NewestFirst;
        }

        var keys = new List<SortKey>();
        var parts = orderBy.Split(',');
        if (parts.Length > MaxKeys)
        {
            violations.Add("order_by", $"has {parts.Length} keys; at most {MaxKeys} are allowed", ViolationReasons.TooMany);
            return null;
        }

        foreach (var part in parts)
        {
            var words = part.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                violations.Add("order_by", "has an empty key; separate keys with one comma, e.g. \"severity desc, start_date desc\"", ViolationReasons.InvalidFormat);
                return null;
            }

            var field = Field(words[0]);
            if (field is null)
            {
                violations.Add("order_by", $"cannot sort by \"{Clip(words[0])}\"; sortable fields: {SortableNames}", ViolationReasons.InvalidFormat);
                return null;
            }

            bool? descending = words.Length switch
            {
                1 => false,
                2 when words[1].Equals("asc", StringComparison.OrdinalIgnoreCase) => false,
                2 when words[1].Equals("desc", StringComparison.OrdinalIgnoreCase) => true,
                _ => null,
            };
            if (descending is null)
            {
                violations.Add("order_by", $"key \"{Clip(part.Trim())}\" must be a field name optionally followed by \"asc\" or \"desc\"", ViolationReasons.InvalidFormat);
                return null;
            }

            if (keys.Exists(k => k.Field == field))
            {
                violations.Add("order_by", $"names \"{words[0]}\" twice", ViolationReasons.InvalidFormat);
                return null;
            }

            keys.Add(new SortKey(field, descending.Value));
        }

        return new EventOrder(keys);
    }

    private static string SortableNames { get; } = string.Join(", ", EventFields.All.Where(f => f.Sortable).Select(f => f.Name));

    private static EventField? Field(string name) =>
        EventFields.All.FirstOrDefault(f => f.Sortable
            && (string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)
                || string.Equals(EventFields.AttributesPrefix + f.Name, name, StringComparison.OrdinalIgnoreCase)
                || f.OrderAliases.Any(alias => string.Equals(alias, name, StringComparison.OrdinalIgnoreCase))));

    private static string Clip(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
