using System.Text;
using Tracker.Events.Querying;

namespace Tracker.Events.Postgres;

/// <summary>
/// Full text on PostgreSQL. The words of an event's title and message are cut in C# by
/// <see cref="FullTextWords"/>' rule (runs of letters, digits and marks, lower-cased
/// invariantly) and stored space-separated in search_words; the GIN index and the queries read
/// them as <see cref="Vector"/>, whose lexemes are those words exactly. to_tsvector('simple', ...)
/// would cut and fold them its own way: it keeps "example.com" or "v1.2" as one token, and under
/// the C locale it lower-cases ASCII only ("Привет" stays capitalised), so a q word would miss
/// events the SQLite store finds.
/// </summary>
internal static class PostgresSearchWords
{
    /// <summary>The indexed expression: search_words as a tsvector, one lexeme per word.</summary>
    public const string Vector = "array_to_tsvector(string_to_array(search_words, ' '))";

    /// <summary>
    /// The rows whose words the index events_service_search_words holds: its predicate, written as it is
    /// so that the planner can use it (migration 8). 1,500 UTF-8 bytes keep its rows, with a
    /// service and an id of 128 characters each (4 bytes a character at most), under btree's 2,704 bytes.
    /// </summary>
    public const string Covered = "octet_length(search_words) <= 1500";

    /// <summary>The other rows (<see cref="Covered"/>'s complement, search_words being NOT NULL), which events_long_search_words finds.</summary>
    public const string NotCovered = "octet_length(search_words) > 1500";

    /// <summary>
    /// The longest lexeme a tsvector holds, in UTF-8 bytes. Longer words are cut to it on both
    /// sides, so that a query word still finds the word it begins.
    /// </summary>
    public const int MaxLexemeBytes = 2047;

    /// <summary>The distinct words of the title and the message, separated by one space.</summary>
    public static string Of(string title, string message)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        var text = new StringBuilder();
        var word = new StringBuilder();
        foreach (var part in (ReadOnlySpan<string>)[title, message])
        {
            foreach (var rune in part.EnumerateRunes())
            {
                if (FullTextWords.IsWordRune(rune))
                {
                    // The invariant mapping FullTextWords lower-cases q's words with.
                    AppendRune(word, Rune.ToLowerInvariant(rune));
                }
                else
                {
                    Flush(word, words, text);
                }
            }

            Flush(word, words, text);
        }

        return text.ToString();
    }

    /// <summary>
    /// The tsquery text (passed as a parameter, cast with ::tsquery, which takes lexemes as
    /// written) under which every word must begin some lexeme: 'w1':* &amp; 'w2':*.
    /// </summary>
    public static string Query(IReadOnlyList<string> words) =>
        string.Join(" & ", words.Select(w => "'" + Truncate(w).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal) + "':*"));

    /// <summary>
    /// The same test as the tsquery of <see cref="Query"/>, written on the stored text: every word
    /// begins one of the space-separated words of <paramref name="searchWords"/>, i.e. " word" is
    /// in " " || search_words. No index serves it, so a statement that tests the words this way
    /// reads the rows in the order of the index its other conditions choose; testing a row costs
    /// a byte search (a tsvector would be built and sorted for each row).
    /// </summary>
    public static string Starts(string searchWords, IReadOnlyList<string> words, PostgresQueryParameters parameters)
    {
        var tests = words.Where(w => w.Length > 0).Select(w => $"strpos(' ' || {searchWords}, {parameters.Text(" " + Truncate(w))}) > 0").ToArray();
        return tests.Length == 0 ? "true" : "(" + string.Join(" AND ", tests) + ")";
    }

    private static void Flush(StringBuilder word, HashSet<string> words, StringBuilder text)
    {
        if (word.Length > 0)
        {
            var lexeme = Truncate(word.ToString());
            if (words.Add(lexeme))
            {
                text.Append(text.Length == 0 ? "" : " ").Append(lexeme);
            }
        }

        word.Clear();
    }

    private static void AppendRune(StringBuilder text, Rune rune)
    {
        Span<char> utf16 = stackalloc char[2];
        text.Append(utf16[..rune.EncodeToUtf16(utf16)]);
    }

    private static string Truncate(string word)
    {
        if (Encoding.UTF8.GetByteCount(word) <= MaxLexemeBytes)
        {
            return word;
        }

        var cut = new StringBuilder();
        var bytes = 0;
        foreach (var rune in word.EnumerateRunes())
        {
            bytes += rune.Utf8SequenceLength;
            if (bytes > MaxLexemeBytes)
            {
                break;
            }

            AppendRune(cut, rune);
        }

        return cut.ToString();
    }
}
