using System.Globalization;

namespace Tracker.Server.Mcp;

/// <summary>
/// The page token of recent_changes: "&lt;since, Unix seconds&gt;.&lt;SearchEvents' token&gt;". The
/// tool's window ("updated in the last N hours") is a filter on updated_at from a start that moves
/// with the clock, and SearchEvents refuses a token for another filter; so the token keeps the
/// first page's start, and every later page lists the same window, however late it is asked for.
/// </summary>
internal sealed record RecentChangesToken(DateTimeOffset Since, string SearchToken)
{
    /// <summary>The start of a window in whole seconds, rounded down: the window may only grow by the fraction cut.</summary>
    public static DateTimeOffset WholeSeconds(DateTimeOffset time) => DateTimeOffset.FromUnixTimeSeconds(time.ToUnixTimeSeconds());

    /// <summary>The token for the page after this one; empty on the last page.</summary>
    public static string Write(DateTimeOffset since, string searchToken) =>
        searchToken.Length == 0 ? string.Empty : $"{since.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}.{searchToken}";

    /// <summary>The token <paramref name="text"/> holds; null when it is empty; adds a problem naming <paramref name="argument"/> when it is not one of recent_changes' tokens.</summary>
    public static RecentChangesToken? Read(string? text, string argument, ToolArgumentProblems problems)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && dot < text.Length - 1
            && long.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return new RecentChangesToken(DateTimeOffset.FromUnixTimeSeconds(seconds), text[(dot + 1)..]);
        }

        problems.Add(argument, "is not a nextPageToken of recent_changes; pass the one its last answer gave, or leave it out for the first page");
        return null;
    }
}
