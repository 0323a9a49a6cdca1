using Tracker.Events.Storage;
using Tracker.Server.Schema;

namespace Tracker.Server.Tests.Docs;

/// <summary>README's field list ("Searching") is the table the server renders from EventFields.All.</summary>
public sealed class ReadmeFieldTableTests
{
    private const string Begin = "<!-- fields: made from EventFields.All";
    private const string End = "<!-- /fields -->";

    [Fact]
    public void ReadmeFieldTable_ComparedWithEventFieldsAll_IsTheRenderedTable()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")).ReplaceLineEndings("\n");
        var start = readme.IndexOf(Begin, StringComparison.Ordinal);
        var end = readme.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"README.md has no field table between \"{Begin} ...-->\" and \"{End}\" in its section Searching.");

        var table = readme[(readme.IndexOf('\n', start) + 1)..end];
        var expected = EventFieldTable.Markdown(EventFields.All);

        Assert.True(expected == table, "README.md's field table (Searching) differs from EventFields.All; put this table between its markers:\n\n" + expected);
    }

    [Fact]
    public void Markdown_EveryField_HasOneRowInTheListsOrder()
    {
        var rows = EventFieldTable.Markdown(EventFields.All).Split('\n', StringSplitOptions.RemoveEmptyEntries)[2..];

        Assert.Equal(EventFields.All.Select(f => $"| `{f.Name}` |"), rows.Select(r => r[..(r.IndexOf("` |", StringComparison.Ordinal) + 3)]));
        var severity = rows.Single(r => r.StartsWith("| `severity` |", StringComparison.Ordinal));
        Assert.Equal("| `severity` | enum, ordered by rank: `SEVERITY_NORMAL`, `SEVERITY_WARNING`, `SEVERITY_ERROR`, `SEVERITY_ALERT` | yes |", severity);
        Assert.Equal("| `notification` | boolean, unordered | yes |", rows.Single(r => r.StartsWith("| `notification` |", StringComparison.Ordinal)));
        Assert.EndsWith("| no |", rows.Single(r => r.StartsWith("| `stake_holders` |", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Tracker.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Tracker.sln above {AppContext.BaseDirectory}.");
    }
}
