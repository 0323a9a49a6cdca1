namespace Tracker.Cli.Tests;

/// <summary>Command lines refused before any call: exit code 2 and a message naming the flag; no server needed.</summary>
public sealed class UsageTests
{
    // Nothing listens on the discard port: a command that called the server would exit 5, not 2.
    private readonly TrackerCli _tracker = new(new Uri("http://127.0.0.1:9"));

    [Theory]
    [InlineData("--start-date", "yesterday", "Invalid value 'yesterday' for --start-date: expected 'now', an RFC 3339 date-time with an offset or Z")]
    [InlineData("--start-date", "01/02/2024", "Invalid value '01/02/2024' for --start-date: expected 'now', an RFC 3339 date-time with an offset or Z")]
    [InlineData("--end-date", "2024-01-15 10:00", "Invalid value '2024-01-15 10:00' for --end-date: expected 'now', an RFC 3339 date-time with an offset or Z")]
    [InlineData("--end-date", "2024-01-15T10:00:00", "Invalid value '2024-01-15T10:00:00' for --end-date: expected 'now', an RFC 3339 date-time with an offset or Z")]
    [InlineData("--notification", "yes", "Invalid value 'yes' for --notification: expected true or false.")]
    [InlineData("--code", "abc", "Invalid value 'abc' for --code: --code must be a whole number.")]
    [InlineData("-o", "yaml", "Invalid value 'yaml' for --output: --output must be table, json or id.")]
    [InlineData("-o", "2", "Invalid value '2' for --output: --output must be table, json or id.")]
    [InlineData("--label", "nokey", "Invalid value 'nokey' for --label: expected key=value.")]
    [InlineData("--environment", "prod", "Invalid value 'prod' for --environment. Allowed values: development (ENVIRONMENT_DEVELOPMENT, 1)")]
    [InlineData("--status", "0", "Invalid value '0' for --status. Allowed values: start (STATUS_START, 1)")]
    public async Task Create_BadValue_ExitsTwoNamingFlag(string flag, string value, string message)
    {
        var created = await _tracker.RunAsync("events", "create", "--title", "t", "--type", "drift", "--service", "s", flag, value);

        Assert.Equal(2, created.ExitCode);
        Assert.StartsWith("tracker: " + message, created.Stderr);
    }

    [Theory]
    [InlineData("--page-size abc", "Invalid value 'abc' for --page-size: --page-size must be a whole number of at least 1.")]
    [InlineData("--page 0", "Invalid value '0' for --page: --page must be at least 1.")]
    [InlineData("--page-size 10 --per-page 10", "--page-size/--page-token (token paging) and --per-page/--page (page-number paging) cannot be mixed")]
    public async Task List_BadPaging_ExitsTwoNamingRule(string flags, string message)
    {
        var listed = await _tracker.RunAsync(["events", "list", .. flags.Split(' ')]);

        Assert.Equal(2, listed.ExitCode);
        Assert.StartsWith("tracker: " + message, listed.Stderr);
    }

    [Fact]
    public async Task Watch_MaxChangesZero_ExitsTwo()
    {
        var watched = await _tracker.RunAsync("events", "watch", "--max-changes", "0");

        Assert.Equal(2, watched.ExitCode);
        Assert.Contains("--max-changes must be at least 1", watched.Stderr);
    }

    [Fact]
    public async Task Help_Output_PlainWordsNoTypeNames()
    {
        var help = await _tracker.RunAsync("events", "list", "--help");

        Assert.Equal(0, help.ExitCode);
        Assert.DoesNotContain("Tracker.Cli", help.Stdout);
        Assert.DoesNotContain("[default: Table]", help.Stdout);
        Assert.DoesNotContain("00:00:30", help.Stdout);
    }

    [Fact]
    public async Task Watch_BadTimeout_ExitsTwo()
    {
        var watched = await _tracker.RunAsync("events", "watch", "--timeout", "5x");

        Assert.Equal(2, watched.ExitCode);
        Assert.Contains("Invalid value '5x' for --timeout", watched.Stderr);
    }

    [Fact]
    public async Task Root_NoCommand_ExitsTwo()
    {
        var run = await _tracker.RunAsync();

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("tracker --help", run.Stderr);
    }
}
