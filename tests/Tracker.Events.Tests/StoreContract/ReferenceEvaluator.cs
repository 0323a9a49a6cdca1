using System.Text;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Querying;
using Tracker.Events.Storage;
using Tracker.Events.Watching;

namespace Tracker.Events.Tests.StoreContract;

/// <summary>An event as a store holds it: the event and its commit position.</summary>
public sealed record ReferenceRow(Event Event, long Sequence)
{
    public string Id => Event.Id;
}

/// <summary>
/// What a store's QueryAsync must return, computed in memory from the README's "Searching"
/// rules (what each field holds, what each node means, the order and the keyset), so the
/// property tests can hold each store against it. Deliberately naive: one event at a time, no
/// index, text compared as UTF-8 bytes. Its fields are the catalog's (<see cref="EventFields"/>):
/// each declaration reads its own values and sort value, so a new field needs nothing here.
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

    /// <summary>
    /// The criteria hold: the expression and every word (by the production
    /// <see cref="EventMatcher"/>, which WatchEvents uses on live changes, so that this
    /// differential test holds it against both stores' SQL), and the commit position.
    /// </summary>
    public static bool Matches(EventCriteria criteria, ReferenceRow row) =>
        EventMatcher.Matches(criteria.Where, criteria.Words, row.Event)
        && (criteria.AfterSequence is not { } after || row.Sequence > after);

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
        field.SortValue(new StoredEvent([], row.Sequence), row.Event);

    /// <summary>Text by its UTF-8 bytes (what BINARY and COLLATE "C" compare), numbers as integers.</summary>
    public static int CompareValues(FilterValue a, FilterValue b) =>
        a.Text is { } x && b.Text is { } y ? CompareText(x, y)
        : a.IsText || b.IsText ? throw new ArgumentException($"Cannot compare {a} with {b}: one is text, one a number.")
        : a.Number.CompareTo(b.Number);

    public static int CompareText(string a, string b) =>
        Utf8(a).AsSpan().SequenceCompareTo(Utf8(b));

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
