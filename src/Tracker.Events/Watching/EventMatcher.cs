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
/// it against both stores on random events and expressions. Each field says how its values
/// are read (<see cref="EventField.ValuesIn"/>), so no field is known here by name.
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
        Comparison c when c.Field.Filterable => Compares(c, e),
        Presence p when p.Field.Filterable => IsPresent(p, e),
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

    // Any value: a repeated or resource field when one element does, a scalar when its one value does.
    private static bool Compares(Comparison c, Event e) =>
        c.Field.ValuesIn(e, c.LabelKey).Any(v => c.Field.Kind == FieldKind.Text ? ComparesText(v.Text ?? string.Empty, c.Comparator, c.Value) : ComparesNumber(v.Number, c.Comparator, c.Value));

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

    private static bool IsPresent(Presence p, Event e) => p.Field.IsSetIn(e, p.LabelKey);
}
