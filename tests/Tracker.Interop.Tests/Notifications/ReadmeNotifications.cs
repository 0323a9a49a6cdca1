using System.Text.RegularExpressions;

namespace Tracker.Interop.Tests.Notifications;

/// <summary>The README's "Notifications" section, and the fenced blocks of its subsections, as written.</summary>
internal static partial class ReadmeNotifications
{
    /// <summary>The text of "### {title}" within "## Notifications", up to the next heading of level 2 or 3.</summary>
    public static string Subsection(string title)
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var section = readme[readme.IndexOf("\n## Notifications\n", StringComparison.Ordinal)..];
        var start = section.IndexOf($"\n### {title}\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"README.md has no \"### {title}\" under \"## Notifications\".");
        var rest = section[(start + 1)..];
        var end = NextHeading().Match(rest, 1);
        return end.Success ? rest[..end.Index] : rest;
    }

    /// <summary>The fenced blocks of <paramref name="language"/> (```python etc.) in <paramref name="text"/>, without their fences and with a list item's indent removed.</summary>
    public static IReadOnlyList<string> Blocks(string text, string language) =>
        [.. Fence().Matches(text)
            .Where(match => match.Groups["language"].Value == language)
            .Select(match => Unindent(match.Groups["code"].Value, match.Groups["indent"].Value.Length))];

    /// <summary>The one fenced block of <paramref name="language"/> in the subsection; fails when there is none or several.</summary>
    public static string Block(string title, string language) => Assert.Single(Blocks(Subsection(title), language));

    private static string Unindent(string code, int indent) =>
        string.Join('\n', code.Split('\n').Select(line => line.Length >= indent && string.IsNullOrWhiteSpace(line[..indent]) ? line[indent..] : line.TrimStart()));

    [GeneratedRegex(@"^#{2,3} ", RegexOptions.Multiline)]
    private static partial Regex NextHeading();

    [GeneratedRegex(@"^(?<indent>[ ]*)```(?<language>[a-z]+)\n(?<code>.*?)\n[ ]*```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fence();
}
