using System.Globalization;
using System.Text;
using Tracker.Events.Validation;

namespace Tracker.Events.Querying;

/// <summary>
/// Splits <c>q</c> into the words a full-text search matches: runs of letters, numbers and
/// marks (Unicode categories L*, N*, M*: any script), lower-cased, as SQLite's FTS5 table
/// (unicode61, categories 'L* N* M*') splits the text it indexes. Each must start a word of the title or message.
/// Splitting here, not in the store, is what makes the words safe to hand to FTS5 and to
/// PostgreSQL's to_tsquery: they hold no operator or quote.
/// </summary>
public static class FullTextWords
{
    /// <summary>The longest q, in characters (Unicode scalar values, as every text limit counts them).</summary>
    public const int MaxChars = 4096;
    /// <summary>The most words q may hold.</summary>
    public const int MaxWords = 64;

    /// <summary>
    /// The longest word of q, in characters (Unicode scalar values) after lower-casing and
    /// composition. A word is at most 2,000 bytes of UTF-8 then (4 per character at most), under the 2,046
    /// bytes a PostgreSQL tsquery word may have (its MAXSTRLEN, 2,047, less one), so every store
    /// answers the same q the same way; SQLite's FTS5 has no such limit.
    /// </summary>
    public const int MaxWordChars = 500;

    /// <summary>The words of <paramref name="q"/>, distinct, in order; a problem (too long, a word too long, too many words, none) is added to <paramref name="violations"/>.</summary>
    internal static IReadOnlyList<string> Split(string q, Violations violations)
    {
        if (q.Length == 0)
        {
            return [];
        }

        if (TextRules.IsLongerThan(q, MaxChars))
        {
            violations.Add("q", $"is {TextRules.CharCount(q)} characters long; at most {MaxChars} are allowed", ViolationReasons.TooLong);
            return [];
        }

        var words = new List<string>();
        var word = new StringBuilder();
        // Each word is composed on its own, not q whole: a word holds only letters, numbers and
        // marks, which normalization accepts, while q may hold a noncharacter (U+FFFE) that it refuses.
        foreach (var rune in q.EnumerateRunes())
        {
            if (IsWordRune(rune))
            {
                word.Append(rune.ToString());
            }
            else
            {
                Flush(word, words);
            }
        }

        Flush(word, words);
        if (words.Count == 0)
        {
            violations.Add("q", "has no word: give at least one letter or digit", ViolationReasons.InvalidFormat);
        }
        else if (words.Count > MaxWords)
        {
            violations.Add("q", $"has {words.Count} words; at most {MaxWords} are allowed", ViolationReasons.TooMany);
        }
        else if (words.FirstOrDefault(w => TextRules.IsLongerThan(w, MaxWordChars)) is { } longWord)
        {
            violations.Add("q", $"has a word of {TextRules.CharCount(longWord)} characters; a word is at most {MaxWordChars}", ViolationReasons.TooLong);
        }

        return words;
    }

    /// <summary>
    /// Whether a rune belongs to a word: a letter, a number or a mark (Unicode L*, N*, M*). Public
    /// because a store that cuts words itself (PostgreSQL) must cut them by this same rule.
    /// </summary>
    public static bool IsWordRune(Rune rune) => Rune.GetUnicodeCategory(rune) is
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
        or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
        or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
        or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    /// <summary>
    /// Text in Unicode normal form C, as keyboards and most stored text write it, so that "é"
    /// typed as e + U+0301 (NFD, as macOS may send it) finds the "é" an event holds.
    /// </summary>
    public static string Composed(string text) => text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);

    private static void Flush(StringBuilder word, List<string> words)
    {
        var composed = Composed(word.ToString()).ToLowerInvariant();
        if (composed.Length > 0 && !words.Contains(composed, StringComparer.Ordinal))
        {
            words.Add(composed);
        }

        word.Clear();
    }
}
