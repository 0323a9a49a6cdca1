namespace Tracker.Cli.Tests;

/// <summary><c>tracker events ...</c> against the real server, each test on services of its own.</summary>
public sealed class EventsCommandTests(OpenServerFixture fixture) : IClassFixture<OpenServerFixture>
{
    private readonly TrackerCli _tracker = new(fixture.Server.HttpAddress);
    private readonly string _service = "svc-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Create_FlagsWithShortNames_RecordsEveryField()
    {
        var created = await _tracker.RunAsync(
            "events", "create", "--title", "Deploy user-service v2.1.0", "--type", "deployment", "--service", _service,
            "--environment", "production", "--status", "success", "--priority", "p2", "--owner", "platform-team",
            "--message", "Deployed via Jenkins", "--source", "jenkins", "--label", "version=2.1.0", "--stake-holder", "ops-team",
            "--link", "https://github.com/org/repo/pull/123", "--ticket", "PROJ-456", "--output", "json");

        Assert.True(created.ExitCode == 0, created.ToString());
        var id = created.Json.GetProperty("id").GetString()!;
        var fetched = await _tracker.RunAsync("events", "get", id, "-o", "json");
        Assert.True(fetched.ExitCode == 0, fetched.ToString());
        var attributes = fetched.Json.GetProperty("attributes");
        Assert.Equal("Deploy user-service v2.1.0", fetched.Json.GetProperty("title").GetString());
        Assert.Equal("TYPE_DEPLOYMENT", attributes.GetProperty("type").GetString());
        Assert.Equal(_service, attributes.GetProperty("service").GetString());
        Assert.Equal("ENVIRONMENT_PRODUCTION", attributes.GetProperty("environment").GetString());
        Assert.Equal("STATUS_SUCCESS", attributes.GetProperty("status").GetString());
        Assert.Equal("PRIORITY_P2", attributes.GetProperty("priority").GetString());
        Assert.Equal("platform-team", attributes.GetProperty("owner").GetString());
        Assert.Equal("Deployed via Jenkins", attributes.GetProperty("message").GetString());
        Assert.Equal("jenkins", attributes.GetProperty("source").GetString());
        Assert.Equal("2.1.0", attributes.GetProperty("labels").GetProperty("version").GetString());
        Assert.Equal("ops-team", attributes.GetProperty("stakeHolders")[0].GetString());
        Assert.Equal("https://github.com/org/repo/pull/123", fetched.Json.GetProperty("links").GetProperty("pullRequestLink").GetString());
        Assert.Equal("PROJ-456", fetched.Json.GetProperty("links").GetProperty("ticket").GetString());
    }

    [Theory]
    [InlineData("TYPE_INCIDENT", "ENVIRONMENT_UAT")]
    [InlineData("4", "4")]
    [InlineData("Incident", "UAT")]
    public async Task Create_EnumByFullNameNumberOrAnyCase_SameValue(string type, string environment)
    {
        var created = await _tracker.RunAsync("events", "create", "--title", "t", "--type", type, "--service", _service, "--environment", environment, "-o", "json");

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Equal("TYPE_INCIDENT", created.Json.GetProperty("attributes").GetProperty("type").GetString());
        Assert.Equal("ENVIRONMENT_UAT", created.Json.GetProperty("attributes").GetProperty("environment").GetString());
    }

    [Fact]
    public async Task Create_TableOutput_ShowsFieldsByShortName()
    {
        var created = await _tracker.RunAsync("events", "create", "--title", "Nightly job", "--type", "rpa-usage", "--service", _service);

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Matches(@"(?m)^type\s+rpa-usage$", created.Stdout);
        Assert.Matches(@"(?m)^title\s+Nightly job$", created.Stdout);
    }

    [Fact]
    public async Task Create_UnknownEnumValue_ExitsTwoNamingFlagAndAllowedValues()
    {
        var created = await _tracker.RunAsync("events", "create", "--title", "t", "--type", "deploy", "--service", _service);

        Assert.Equal(2, created.ExitCode);
        Assert.Contains("Invalid value 'deploy' for --type", created.Stderr);
        Assert.Contains("deployment (TYPE_DEPLOYMENT, 1)", created.Stderr);
        Assert.Contains("rpa-usage (TYPE_RPA_USAGE, 5)", created.Stderr);
        Assert.Empty(created.Stdout);
    }

    [Fact]
    public async Task Create_MissingRequiredField_ExitsTwoWithServerMessage()
    {
        var created = await _tracker.RunAsync("events", "create", "--title", "t", "--service", _service);

        Assert.Equal(2, created.ExitCode);
        Assert.StartsWith("tracker: INVALID_ARGUMENT: ", created.Stderr);
        Assert.Contains("attributes.type", created.Stderr);
        Assert.DoesNotContain("   at ", created.Stderr);
    }

    [Fact]
    public async Task Get_UnknownId_ExitsThree()
    {
        var fetched = await _tracker.RunAsync("events", "get", "01937f52-0000-7000-8000-000000000000");

        Assert.Equal(3, fetched.ExitCode);
        Assert.Contains("NOT_FOUND", fetched.Stderr);
        Assert.Contains("01937f52-0000-7000-8000-000000000000", fetched.Stderr);
    }

    [Fact]
    public async Task Update_SomeFlags_ChangesOnlyThoseFields()
    {
        var id = await CreateAsync("--status", "start", "--owner", "team-a");

        var updated = await _tracker.RunAsync("events", "update", id, "--status", "failure", "--end-date", "2030-01-15T10:05:00Z", "-o", "json");

        Assert.True(updated.ExitCode == 0, updated.ToString());
        var attributes = updated.Json.GetProperty("attributes");
        Assert.Equal("STATUS_FAILURE", attributes.GetProperty("status").GetString());
        Assert.Equal("2030-01-15T10:05:00Z", attributes.GetProperty("endDate").GetString());
        Assert.Equal("team-a", attributes.GetProperty("owner").GetString());
        Assert.Equal("title", updated.Json.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Update_StaleEtag_ExitsSix()
    {
        var id = await CreateAsync();

        var updated = await _tracker.RunAsync("events", "update", id, "--title", "new", "--etag", "stale");

        Assert.Equal(6, updated.ExitCode);
        Assert.Contains("ABORTED", updated.Stderr);
    }

    [Fact]
    public async Task Delete_ExistingEvent_GoneAfterwards()
    {
        var id = await CreateAsync();

        var deleted = await _tracker.RunAsync("events", "delete", id, "-o", "id");
        var again = await _tracker.RunAsync("events", "delete", id);
        var allowed = await _tracker.RunAsync("events", "delete", id, "--allow-missing");

        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.Equal(id, deleted.Stdout);
        Assert.Equal(3, again.ExitCode);
        Assert.Equal(0, allowed.ExitCode);
        Assert.Equal($"Event {id} did not exist; nothing deleted (--allow-missing).", allowed.Stdout);
        Assert.Equal(3, (await _tracker.RunAsync("events", "get", id)).ExitCode);
    }

    [Fact]
    public async Task List_OutputIdWithNextPage_TokenOnStderr()
    {
        var ids = new[] { await CreateAsync(), await CreateAsync() };

        var first = await _tracker.RunAsync("events", "list", "--filter", $"service=\"{_service}\"", "--page-size", "1", "-o", "id");
        var token = first.Stderr.Trim();
        Assert.StartsWith("next_page_token: ", token);
        var second = await _tracker.RunAsync("events", "list", "--filter", $"service=\"{_service}\"", "--page-size", "1", "--page-token", token["next_page_token: ".Length..], "-o", "id");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal([ids[1], ids[0]], [first.Stdout, second.Stdout]);
        Assert.Equal("", second.Stderr);
    }

    [Fact]
    public async Task Get_ControlCharactersInFields_OneLinePerField()
    {
        var id = await CreateAsync("--message", "line one\nline two\tend");

        var got = await _tracker.RunAsync("events", "get", id);

        Assert.True(got.ExitCode == 0, got.ToString());
        Assert.Contains(got.Stdout.Split('\n'), line => line.StartsWith("message", StringComparison.Ordinal) && line.EndsWith("line one line two end", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Watch_BadFilter_StdoutEmpty()
    {
        var watched = await _tracker.RunAsync("events", "watch", "--filter", "nosuchfield=1");

        Assert.Equal(2, watched.ExitCode);
        Assert.Equal("", watched.Stdout);
    }

    [Fact]
    public async Task List_FilterAndPageSize_PagesThroughMatchesAsJson()
    {
        var ids = new[] { await CreateAsync(), await CreateAsync(), await CreateAsync() };

        var first = await _tracker.RunAsync("events", "list", "--filter", $"service=\"{_service}\"", "--page-size", "2", "-o", "json");
        var token = first.Json.GetProperty("nextPageToken").GetString()!;
        var second = await _tracker.RunAsync("events", "list", "--filter", $"service=\"{_service}\"", "--page-size", "2", "--page-token", token, "-o", "json");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        // Newest first; int64 totalCount is a string in proto3 JSON.
        Assert.Equal("3", first.Json.GetProperty("totalCount").GetString());
        var listed = first.Json.GetProperty("events").EnumerateArray().Concat(second.Json.GetProperty("events").EnumerateArray())
            .Select(e => e.GetProperty("id").GetString()).ToList();
        Assert.Equal(ids.Reverse(), listed);
        Assert.Equal("", second.Json.GetProperty("nextPageToken").GetString());
    }

    [Fact]
    public async Task List_TableOutput_RowPerEventAndTotal()
    {
        var id = await CreateAsync();

        var listed = await _tracker.RunAsync("events", "list", "--filter", $"service=\"{_service}\"");

        Assert.True(listed.ExitCode == 0, listed.ToString());
        var lines = listed.Stdout.Split('\n');
        Assert.Matches(@"^ID\s+TIME\s+TYPE\s+STATUS\s+ENVIRONMENT\s+SERVICE\s+TITLE$", lines[0]);
        Assert.Matches($@"^{id}\s+\S+ \S+\s+deployment\s+\s+{_service}\s+title$", lines[1]);
        Assert.Equal("1 shown, 1 matching.", lines[2]);
    }

    [Fact]
    public async Task Search_FieldFlagsAndQ_FindOnlyMatches()
    {
        var match = await CreateAsync("--type", "incident", "--priority", "p1", "--message", "database pool exhausted");
        await CreateAsync("--type", "incident", "--priority", "p3", "--message", "database pool exhausted");
        await CreateAsync("--type", "deployment", "--priority", "p1", "--message", "database pool exhausted");
        await CreateAsync("--type", "incident", "--priority", "p1", "--message", "disk full");

        var found = await _tracker.RunAsync("events", "search", "--service", _service, "--type", "incident", "--priority", "1", "--q", "pool", "-o", "id");

        Assert.True(found.ExitCode == 0, found.ToString());
        Assert.Equal(match, found.Stdout);
    }

    [Fact]
    public async Task Search_InvalidFilter_ExitsTwoWithPosition()
    {
        var found = await _tracker.RunAsync("events", "search", "--filter", "service=");

        Assert.Equal(2, found.ExitCode);
        Assert.Contains("INVALID_ARGUMENT", found.Stderr);
        Assert.Contains("filter", found.Stderr);
    }

    [Fact]
    public async Task Watch_ReplayWithMaxChanges_PrintsOneJsonObjectPerChange()
    {
        var id = await CreateAsync();
        await _tracker.RunAsync("events", "update", id, "--status", "success");

        var watched = await _tracker.RunAsync("events", "watch", "--after-id", "0", "--filter", $"service=\"{_service}\"", "--max-changes", "2", "-o", "json");

        Assert.True(watched.ExitCode == 0, watched.ToString());
        var changes = watched.JsonLines;
        Assert.Equal(["CHANGE_TYPE_CREATED", "CHANGE_TYPE_UPDATED"], changes.Select(c => c.GetProperty("changeType").GetString()));
        Assert.All(changes, c => Assert.Equal(id, c.GetProperty("event").GetProperty("id").GetString()));
        Assert.Equal("STATUS_SUCCESS", changes[1].GetProperty("event").GetProperty("attributes").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Watch_Timeout_ExitsZero()
    {
        var watched = await _tracker.RunAsync("events", "watch", "--filter", $"service=\"{_service}\"", "--timeout", "2s", "-o", "json");

        Assert.True(watched.ExitCode == 0, watched.ToString());
        Assert.Empty(watched.Stdout);
    }

    [Fact]
    public async Task Watch_Interrupted_ExitsZeroAfterLiveChanges()
    {
        using var watch = await _tracker.StartAsync("events", "watch", "--filter", $"service=\"{_service}\"");
        // The watch may still be starting or connecting: changes made before it listens are not
        // replayed, so keep making them until one shows (the table's header comes with it).
        var id = await CreateAsync();
        for (var attempt = 0; !watch.HasLines(2); attempt++)
        {
            Assert.True(attempt < 100, "No change reached the watch: " + watch.Lines);
            Assert.Equal(0, (await _tracker.RunAsync("events", "update", id, "--message", "attempt " + attempt)).ExitCode);
        }

        await watch.InterruptAsync();
        var watched = await watch.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(watched.ExitCode == 0, watched.ToString());
        var lines = watched.Stdout.Split('\n');
        Assert.Matches(@"^CHANGE\s+CHANGE_ID\s+ID\s+TYPE\s+STATUS\s+SERVICE\s+TITLE$", lines[0]);
        Assert.Matches($@"^(created|updated)\s+\d+\s+{id}\s+deployment\s+{_service}\s+title$", lines[1]);
    }

    private async Task<string> CreateAsync(params string[] flags)
    {
        string[] type = flags.Contains("--type") ? [] : ["--type", "deployment"];
        var created = await _tracker.RunAsync(["events", "create", "--title", "title", "--service", _service, .. type, .. flags, "-o", "id"]);
        Assert.True(created.ExitCode == 0, created.ToString());
        return created.Stdout;
    }
}
