using System.Text.RegularExpressions;

namespace Tracker.EndToEnd.Tests.Rest;

/// <summary>
/// The curl commands of the events guide (tracker-events-guide.txt, copied from the spec seeds),
/// exactly as written there: a command starts at a line beginning with "curl" and runs on while
/// a line ends with a backslash or a quote is still open.
/// </summary>
public static partial class SeedCurlExamples
{
    public static IReadOnlyList<string> Load()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Seeds", "tracker-events-guide.txt"));
        var commands = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].TrimStart().StartsWith("curl ", StringComparison.Ordinal))
            {
                continue;
            }

            var command = new List<string> { lines[i].Trim() };
            while (ContinuesAfter(string.Join("\n", command)) && i + 1 < lines.Length)
            {
                command.Add(lines[++i]);
            }

            commands.Add(string.Join("\n", command));
        }

        return commands;
    }

    /// <summary>
    /// Fills the CI templates as GitHub Actions and Jenkins do before the shell sees them, and
    /// points every URL at the server under test.
    /// </summary>
    public static string Substitute(string command, Uri server, IReadOnlyDictionary<string, string> values)
    {
        var result = command.Replace("http://localhost:8080", server.ToString().TrimEnd('/'), StringComparison.Ordinal);
        result = GitHubExpression().Replace(result, m => values[m.Groups[1].Value]);
        result = JenkinsVariable().Replace(result, m => values[m.Groups[1].Value]);
        return result;
    }

    private static bool ContinuesAfter(string text) =>
        text.TrimEnd().EndsWith('\\') || text.Count(c => c == '\'') % 2 == 1;

    [GeneratedRegex(@"\$\{\{\s*([\w.]+)\s*\}\}")]
    private static partial Regex GitHubExpression();

    [GeneratedRegex(@"\$\{([A-Z_]+)\}")]
    private static partial Regex JenkinsVariable();
}
