using System.Text;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Querying;
using Tracker.Events.Storage;

namespace Tracker.Events.Watching;

/// <summary>
/// Evaluates a filter expression (<see cref="FilterNode"/>) and full-text words on one event in
/// memory, with the meaning the stores' SQL gives them (README "Searching"): every node is true
/// or false, never unknown; an unset field makes a comparison false and its negation true; text
/// is ordered by its UTF-8 bytes (SQLite BINARY, PostgreSQL COLLATE "C"); start_date compares
/// the event time; a word matches the start of a word of the title or message. WatchEvents uses
/// it for live changes, which are not in a table to query; the differential property test holds
/// it against both stores on random events and expressions.
/// </summary>
public static class EventMatcher
{
    /// <summary>Whether <paramref name="e"/> satisfies <paramref name="where"/> and has every word of <paramref name="words"/>.</summary>
    public static bool Matches(FilterNode where, IReadOnlyList<string> words, Event e) =>
        Holds(where, e) && words.All(w => HasWordStartingWith(e, w));

    /// <summary>The value of a node for one event.</summary>
    public static bool Holds(FilterNode node, Event e) => node switch
    {
        AllOf all => all.Terms.All(t => Holds(t, e)),
        AnyOf any => any.Terms.Any(t => Holds(t, e)),
        Negation not => !Holds(not.Term, e),
        Comparison c => Compares(c, e),
        Presence p => IsPresent(p, e),
        _ => throw new ArgumentOutOfRangeException(nameof(node), node, "Unknown node."),
    };

    /// <summary>Whether a word of the title or message starts with <paramref name="word"/> (already lower-cased, as FullTextWords cuts it).</summary>
    public static bool HasWordStartingWith(Event e, string word) =>
        Tokens(e.Title).Concat(Tokens(e.Attributes?.Message ?? string.Empty)).Any(t => t.StartsWith(word, StringComparison.Ordinal));

    /// <summary>The words of a text as the full-text index cuts them: runs of letters, digits and combining marks, lower-cased rune by rune.</summary>
    public static IEnumerable<string> Tokens(string text)
    {
        var token = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (FullTextWords.IsWordRune(rune))
            {
                token.Append(rune.ToString().ToLowerInvariant());
            }
            else if (token.Length > 0)
            {
                yield return token.ToString();
                token.Clear();
            }
        }

        if (token.Length > 0)
        {
            yield return token.ToString();
        }
    }

    private static bool Compares(Comparison c, Event e)
    {
        if (c.Field == EventField.Labels)
        {
            var key = c.LabelKey ?? throw new ArgumentException("A labels comparison needs a key.");
            return e.Attributes is { } a && a.Labels.TryGetValue(key, out var value) && ComparesText(value, c.Comparator, c.Value);
        }

        if (TextElements(c.Field, e) is { } elements)
        {
            return elements.Any(v => ComparesText(v, c.Comparator, c.Value));
        }

        if (Text(c.Field, e) is { } text)
        {
            return ComparesText(text, c.Comparator, c.Value);
        }

        // end_date when unset: no value, so every comparison is false.
        return Number(c.Field, e) is { } number && ComparesNumber(number, c.Comparator, c.Value);
    }

    private static bool ComparesText(string value, Comparator comparator, FilterValue operand)
    {
        var text = operand.Text ?? throw new ArgumentException($"A text field compared with the number {operand.Number}.");

        // Equality and containment agree between UTF-16 and UTF-8; only the order needs the bytes.
        return comparator switch
        {
            Comparator.Equal => string.Equals(value, text, StringComparison.Ordinal),
            Comparator.Prefix => value.StartsWith(text, StringComparison.Ordinal),
            Comparator.Suffix => value.EndsWith(text, StringComparison.Ordinal),
            Comparator.Contains => value.Contains(text, StringComparison.Ordinal),
            Comparator.Less => CompareUtf8(value, text) < 0,
            Comparator.LessOrEqual => CompareUtf8(value, text) <= 0,
            Comparator.Greater => CompareUtf8(value, text) > 0,
            Comparator.GreaterOrEqual => CompareUtf8(value, text) >= 0,
            _ => throw new ArgumentOutOfRangeException(nameof(comparator), comparator, null),
        };
    }

    private static int CompareUtf8(string a, string b) =>
        Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b));

    private static bool ComparesNumber(long value, Comparator comparator, FilterValue operand)
    {
        if (operand.IsText)
        {
            throw new ArgumentException($"A number field compared with the text \"{operand.Text}\".");
        }

        var o = operand.Number;
        return comparator switch
        {
            Comparator.Equal => value == o,
            Comparator.Less => value < o,
            Comparator.LessOrEqual => value <= o,
            Comparator.Greater => value > o,
            Comparator.GreaterOrEqual => value >= o,
            _ => throw new ArgumentException($"{comparator} applies to text only."),
        };
    }

    private static bool IsPresent(Presence p, Event e)
    {
        var a = e.Attributes ?? new EventAttributes();
        return p.Field switch
        {
            EventField.Labels => a.Labels.ContainsKey(p.LabelKey ?? throw new ArgumentException("A labels presence needs a key.")),
            EventField.CreatedAt or EventField.UpdatedAt => true,

            // Presence is the attribute being set, though comparisons use the event time.
            EventField.StartDate => a.StartDate is not null,
            EventField.EndDate => a.EndDate is not null,
            EventField.StakeHolders or EventField.Notifications => TextElements(p.Field, e)!.Count > 0,
            _ when TextElements(p.Field, e) is { } resourceValues => resourceValues.Any(v => v.Length > 0),
            _ when Text(p.Field, e) is { } text => text.Length > 0,
            _ => Number(p.Field, e) is { } number && number != 0,
        };
    }

    /// <summary>A text scalar's value ('' when unset), or null for fields of other kinds.</summary>
    private static string? Text(EventField field, Event e)
    {
        var a = e.Attributes ?? new EventAttributes();
        return field switch
        {
            EventField.Title => e.Title,
            EventField.Id => e.Id,
            EventField.Message => a.Message,
            EventField.Source => a.Source,
            EventField.RelatedId => a.RelatedId,
            EventField.Service => a.Service,
            EventField.Owner => a.Owner,
            EventField.Reason => a.Reason,
            EventField.AggregationKey => e.AggregationKey,
            _ => null,
        };
    }

    /// <summary>A number's value (0 when unset; null for an unset end_date), or null for fields of other kinds.</summary>
    private static long? Number(EventField field, Event e)
    {
        var a = e.Attributes ?? new EventAttributes();
        return field switch
        {
            EventField.Type => (long)a.Type,
            EventField.Priority => (long)a.Priority,
            EventField.Status => (long)a.Status,
            EventField.Environment => (long)a.Environment,
            EventField.Impact => (long)a.Impact,
            EventField.Severity => (long)a.Severity,
            EventField.Code => a.Code,
            EventField.Notification => a.Notification ? 1 : 0,
            EventField.CreatedAt => EventKeys.ToMicros(e.CreatedAt),
            EventField.UpdatedAt => EventKeys.ToMicros(e.UpdatedAt),

            // Comparisons on start_date use the event time: start_date, else created_at.
            EventField.StartDate => EventKeys.EventTimeMicros(e),
            EventField.EndDate => a.EndDate is null ? null : EventKeys.ToMicros(a.EndDate),
            EventField.Count => e.Count,
            _ => null,
        };
    }

    /// <summary>The elements of a repeated field or a resource field, or null for other fields.</summary>
    private static IReadOnlyList<string>? TextElements(EventField field, Event e)
    {
        var a = e.Attributes ?? new EventAttributes();
        return field switch
        {
            EventField.StakeHolders => a.StakeHolders,
            EventField.Notifications => a.Notifications,
            EventField.ResourceKind => a.Resources.Select(r => r.Kind).ToList(),
            EventField.ResourceId => a.Resources.Select(r => r.Id).ToList(),
            EventField.ResourceName => a.Resources.Select(r => r.Name).ToList(),
            EventField.ResourceNamespace => a.Resources.Select(r => r.Namespace).ToList(),
            _ => null,
        };
    }
}
