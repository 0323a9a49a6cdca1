namespace Tracker.Cli.Tests;

/// <summary><c>tracker deploy start|finish</c>, as a pipeline runs them around a deployment.</summary>
public sealed class DeployCommandTests(OpenServerFixture fixture) : IClassFixture<OpenServerFixture>
{
    private readonly TrackerCli _tracker = new(fixture.Server.HttpAddress);
    private readonly string _service = "svc-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task StartThenFinish_OutputId_RecordsDeploymentFromStartToOutcome()
    {
        var started = await _tracker.RunAsync("deploy", "start", "--service", _service, "--environment", "production", "--owner", "ci", "--output", "id");
        Assert.True(started.ExitCode == 0, started.ToString());
        var id = started.Stdout;
        var running = (await _tracker.RunAsync("events", "get", id, "-o", "json")).Json;

        var finished = await _tracker.RunAsync("deploy", "finish", id, "--status", "success", "--link", "https://github.com/org/repo/pull/7", "--ticket", "OPS-7", "-o", "json");

        Assert.Equal($"Deploy {_service} to production", running.GetProperty("title").GetString());
        Assert.Equal("TYPE_DEPLOYMENT", running.GetProperty("attributes").GetProperty("type").GetString());
        Assert.Equal("STATUS_START", running.GetProperty("attributes").GetProperty("status").GetString());
        Assert.True(running.GetProperty("attributes").TryGetProperty("startDate", out _));
        Assert.False(running.GetProperty("attributes").TryGetProperty("endDate", out _));
        Assert.True(finished.ExitCode == 0, finished.ToString());
        var attributes = finished.Json.GetProperty("attributes");
        Assert.Equal("STATUS_SUCCESS", attributes.GetProperty("status").GetString());
        Assert.Equal("ci", attributes.GetProperty("owner").GetString());
        var start = DateTimeOffset.Parse(attributes.GetProperty("startDate").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var end = DateTimeOffset.Parse(attributes.GetProperty("endDate").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(end >= start, $"end {end} before start {start}");
        Assert.Equal("https://github.com/org/repo/pull/7", finished.Json.GetProperty("links").GetProperty("pullRequestLink").GetString());
        Assert.Equal("OPS-7", finished.Json.GetProperty("links").GetProperty("ticket").GetString());
    }

    [Fact]
    public async Task Finish_Failure_GivenEndDateKept()
    {
        var id = (await _tracker.RunAsync("deploy", "start", "--service", _service, "--title", "Deploy v9", "--start-date", "2030-01-15T10:00:00Z", "-o", "id")).Stdout;

        var finished = await _tracker.RunAsync("deploy", "finish", id, "--status", "failure", "--end-date", "2030-01-15T10:05:00Z", "-o", "json");

        Assert.True(finished.ExitCode == 0, finished.ToString());
        Assert.Equal("Deploy v9", finished.Json.GetProperty("title").GetString());
        Assert.Equal("STATUS_FAILURE", finished.Json.GetProperty("attributes").GetProperty("status").GetString());
        Assert.Equal("2030-01-15T10:05:00Z", finished.Json.GetProperty("attributes").GetProperty("endDate").GetString());
        Assert.Equal("300s", finished.Json.GetProperty("duration").GetString());
    }

    [Fact]
    public async Task Start_EmptyLinkAndOwner_LeftUnset()
    {
        // A pipeline's unset variables, e.g. --link "$PR_URL" on a push that has no pull request.
        var started = await _tracker.RunAsync("deploy", "start", "--service", _service, "--link", "", "--owner", "", "-o", "json");

        Assert.True(started.ExitCode == 0, started.ToString());
        Assert.False(started.Json.GetProperty("attributes").TryGetProperty("owner", out _));
        Assert.False(started.Json.TryGetProperty("links", out var links) && links.TryGetProperty("pullRequestLink", out _));
    }

    [Fact]
    public async Task Finish_WithoutStatus_ExitsTwo()
    {
        var finished = await _tracker.RunAsync("deploy", "finish", "01937f52-0000-7000-8000-000000000000");

        Assert.Equal(2, finished.ExitCode);
        Assert.Contains("--status", finished.Stderr);
    }

    [Theory]
    [InlineData("open")]
    [InlineData("start")]
    public async Task Finish_StatusNotAnOutcome_ExitsTwo(string status)
    {
        var finished = await _tracker.RunAsync("deploy", "finish", "01937f52-0000-7000-8000-000000000000", "--status", status);

        Assert.Equal(2, finished.ExitCode);
        Assert.Contains($"Invalid value '{status}' for --status: deploy finish takes success or failure", finished.Stderr);
    }

    [Fact]
    public async Task Finish_Twice_ExitsSixAndKeepsFirstOutcome()
    {
        var id = (await _tracker.RunAsync("deploy", "start", "--service", _service, "-o", "id")).Stdout;
        var first = await _tracker.RunAsync("deploy", "finish", id, "--status", "failure");

        var second = await _tracker.RunAsync("deploy", "finish", id, "--status", "success");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(6, second.ExitCode);
        Assert.Contains("is finished already, with status failure", second.Stderr);
        var kept = (await _tracker.RunAsync("events", "get", id, "-o", "json")).Json;
        Assert.Equal("STATUS_FAILURE", kept.GetProperty("attributes").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Finish_NotADeployment_ExitsSixNamingType()
    {
        var id = (await _tracker.RunAsync("events", "create", "--title", "disk full", "--type", "incident", "--service", _service, "--status", "open", "-o", "id")).Stdout;

        var finished = await _tracker.RunAsync("deploy", "finish", id, "--status", "success");

        Assert.Equal(6, finished.ExitCode);
        Assert.Contains("is of type incident, not deployment", finished.Stderr);
    }

    [Fact]
    public async Task Finish_UnknownId_ExitsThree()
    {
        var finished = await _tracker.RunAsync("deploy", "finish", "01937f52-0000-7000-8000-000000000000", "--status", "success");

        Assert.Equal(3, finished.ExitCode);
    }

    [Fact]
    public async Task Start_RequestIdRepeated_SameEvent()
    {
        var run = "run-" + Guid.NewGuid().ToString("N");

        var first = await _tracker.RunAsync("deploy", "start", "--service", _service, "--request-id", run, "-o", "id");
        var retried = await _tracker.RunAsync("deploy", "start", "--service", _service, "--request-id", run, "-o", "id");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(first.Stdout, retried.Stdout);
    }
}
