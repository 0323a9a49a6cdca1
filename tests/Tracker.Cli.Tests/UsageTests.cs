namespace Tracker.Cli.Tests;

/// <summary>Command lines refused before any call: exit code 2 and a message naming the flag; no server needed.</summary>
public sealed class UsageTests
{
    // Nothing listens on the discard port: a command that called the server would exit 5, not 2.
    private readonly TrackerCli _tracker = new(new Uri("http://127.0.0.1:9"));

    [Theory]
    [InlineData("--start-date", "yesterday", "Invalid value 'yesterday' for --start-date: expected 'now' or an RFC 3339 date-time")]
    [InlineData("--label", "nokey", "Invalid value 'nokey' for --label: expected key=value.")]
    [InlineData("--environment", "prod", "Invalid value 'prod' for --environment. Allowed values: development (ENVIRONMENT_DEVELOPMENT, 1)")]
    [InlineData("--status", "0", "Invalid value '0' for --status. Allowed values: start (STATUS_START, 1)")]
    public async Task Create_BadValue_ExitsTwoNamingFlag(string flag, string value, string message)
    {
        var created = await _tracker.RunAsync("events", "create", "--title", "t", "--type", "drift", "--service", "s", flag, value);

        Assert.Equal(2, created.ExitCode);
        Assert.StartsWith("tracker: " + message, created.Stderr);
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
