using System.Text;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Querying;
using Tracker.Events.Storage;

namespace Tracker.Events.Tests.StoreContract;

/// <summary>An event as a store holds it: the event and its commit position.</summary>
public sealed record ReferenceRow(Event Event, long Sequence)
{
    public string Id => Event.Id;
}

/// <summary>
/// What a store's QueryAsync must return, computed in memory straight from the issue 11 spec
/// (/work/spec-issue11.md, "Values held per field", "Node meaning", "Order and keyset"), so the
/// property tests can hold each store against it. Deliberately naive: one event at a time, no
/// index, text compared as UTF-8 bytes.
/// </summary>
public static class ReferenceEvaluator
{
    /// <summary>One page of <paramref name="query"/> over <paramref name="rows"/>, and how many rows match the criteria.</summary>
    public static (IReadOnlyList<ReferenceRow> Page, long TotalCount) Query(IEnumerable<ReferenceRow> rows, EventQuery query)
    {
        var matching = rows.Where(r => Matches(query.Criteria, r)).ToList();
        matching.Sort((a, b) => Compare(a, b, query.Order));
        IEnumerable<ReferenceRow> page = matching;
        if (query.After is { } cursor)
        {
            page = page.Where(r => IsAfter(r, cursor, query.Order));
        }

        return (page.Skip(query.Offset).Take(query.Limit).ToList(), matching.Count);
    }

    /// <summary>The criteria hold: the expression, every word, and the commit position.</summary>
    public static bool Matches(EventCriteria criteria, ReferenceRow row) =>
        Holds(criteria.Where, row.Event)
        && criteria.Words.All(w => HasWordStartingWith(row.Event, w))
        && (criteria.AfterSequence is not { } after || row.Sequence > after);

    /// <summary>The value of a node for one event: always true or false, never unknown.</summary>
    public static bool Holds(FilterNode node, Event e) => node switch
    {
        AllOf all => all.Terms.All(t => Holds(t, e)),
        AnyOf any => any.Terms.Any(t => Holds(t, e)),
        Negation not => !Holds(not.Term, e),
        Comparison c => Compares(c, e),
        Presence p => IsPresent(p, e),
        _ => throw new ArgumentOutOfRangeException(nameof(node), node, "Unknown node."),
    };

    /// <summary>The order's comparison: each key in turn, then the id in the first key's direction.</summary>
    public static int Compare(ReferenceRow a, ReferenceRow b, EventOrder order)
    {
        foreach (var key in order.Keys)
        {
            var c = CompareValues(SortValue(a, key.Field), SortValue(b, key.Field));
            if (c != 0)
            {
                return key.Descending ? -c : c;
            }
        }

        var byId = CompareText(a.Id, b.Id);
        return order.IdDescending ? -byId : byId;
    }

    /// <summary>
    /// Whether a row comes strictly after the cursor: (k1, ..., kn, id) compared key by key with
    /// the cursor's values, each key in its own direction, the id in the first key's.
    /// </summary>
    public static bool IsAfter(ReferenceRow row, EventCursor cursor, EventOrder order)
    {
        for (var i = 0; i < order.Keys.Count; i++)
        {
            var c = CompareValues(SortValue(row, order.Keys[i].Field), cursor.Keys[i]);
            if (c != 0)
            {
                return order.Keys[i].Descending ? c < 0 : c > 0;
            }
        }

        var byId = CompareText(row.Id, cursor.Id);
        return order.IdDescending ? byId < 0 : byId > 0;
    }

    public static FilterValue SortValue(ReferenceRow row, EventField field) =>
        EventKeys.SortValue(new StoredEvent([], row.Sequence), row.Event, field);

    /// <summary>Text by its UTF-8 bytes (what BINARY and COLLATE "C" compare), numbers as integers.</summary>
    public static int CompareValues(FilterValue a, FilterValue b) =>
        a.Text is { } x && b.Text is { } y ? CompareText(x, y)
        : a.IsText || b.IsText ? throw new ArgumentException($"Cannot compare {a} with {b}: one is text, one a number.")
        : a.Number.CompareTo(b.Number);

    public static int CompareText(string a, string b) =>
        Utf8(a).AsSpan().SequenceCompareTo(Utf8(b));

    // ---- comparisons ------------------------------------------------------------------------

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
        var v = Utf8(value).AsSpan();
        var o = Utf8(text).AsSpan();
        return comparator switch
        {
            Comparator.Equal => v.SequenceEqual(o),
            Comparator.Less => v.SequenceCompareTo(o) < 0,
            Comparator.LessOrEqual => v.SequenceCompareTo(o) <= 0,
            Comparator.Greater => v.SequenceCompareTo(o) > 0,
            Comparator.GreaterOrEqual => v.SequenceCompareTo(o) >= 0,
            Comparator.Prefix => v.StartsWith(o),
            Comparator.Suffix => v.EndsWith(o),
            Comparator.Contains => v.IndexOf(o) >= 0,
            _ => throw new ArgumentOutOfRangeException(nameof(comparator), comparator, null),
        };
    }

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

    // ---- presence -------------------------------------------------------------------------------

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

    // ---- the value of each field ----------------------------------------------------------------

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

    // ---- full text --------------------------------------------------------------------------------

    private static bool HasWordStartingWith(Event e, string word) =>
        Tokens(e.Title).Concat(Tokens(e.Attributes?.Message ?? string.Empty)).Any(t => t.StartsWith(word, StringComparison.Ordinal));

    /// <summary>The tokens of a text: runs of letters, digits and combining marks, lower-cased rune by rune.</summary>
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

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
