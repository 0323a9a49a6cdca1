using System.Text;

namespace Tracker.Events.Validation;

/// <summary>Length and format checks on strings, counted the way users count characters.</summary>
internal static class TextRules
{
    /// <summary>Characters as Unicode code points, so an emoji counts once (as in PostgreSQL).</summary>
    public static int CharCount(string value)
    {
        var count = 0;
        foreach (var _ in value.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    public static bool IsLongerThan(string value, int maxChars) =>
        value.Length > maxChars && CharCount(value) > maxChars;

    public static int Utf8Bytes(string value) => Encoding.UTF8.GetByteCount(value);

    /// <summary>Client text shown inside a field path, shortened and quoted safely.</summary>
    public static string QuoteForPath(string value)
    {
        const int maxShown = 64;
        var shown = value.Length <= maxShown ? value : string.Concat(value.AsSpan(0, maxShown), "...");
        return "\"" + shown.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }
}
