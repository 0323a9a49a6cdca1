using System.Text.Json;
using Tracker.Testing;

namespace Tracker.EndToEnd.Tests.Rest;

/// <summary>
/// Every curl example of the events guide, run verbatim with the real curl against a real
/// server; only the host, the CI template values and the example ids are filled in.
/// </summary>
public abstract class SeedExamplesTests(TrackerServerFixture fixture) : IDisposable
{
    private const string ExampleId = "507f1f77bcf86cd799439011";
    private readonly CurlRunner _curl = new();
    private readonly IReadOnlyList<string> _examples = SeedCurlExamples.Load();

    private TrackerProcess Server => fixture.Server;

    public void Dispose()
    {
        _curl.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public void Load_EventsGuide_FindsEveryCurlExample()
    {
        Assert.Equal(17, _examples.Count);
    }

    [Fact]
    public async Task CreateExamples_Verbatim_ReturnIdTitleAndCreatedAt()
    {
        var creates = _examples.Where(c => c.Contains("-X POST", StringComparison.Ordinal)).ToArray();
        Assert.Equal(7, creates.Length);

        foreach (var command in creates)
        {
            var result = await RunAsync(command);

            Assert.True(result.HttpStatus == 200, result.ToString());
            var body = result.Json;
            Assert.Matches("^[0-9a-f-]{36}$", body.GetProperty("id").GetString());
            Assert.False(string.IsNullOrEmpty(body.GetProperty("title").GetString()));
            Assert.True(DateTimeOffset.TryParse(body.GetProperty("createdAt").GetString(), out _));
        }
    }

    [Fact]
    public async Task GitHubActionsExample_PullRequestRun_KeepsThePullRequestLink()
    {
        var command = _examples.Single(c => c.Contains("secrets.TRACKER_URL", StringComparison.Ordinal));

        var result = await RunAsync(command, new() { ["github.event.pull_request.html_url"] = "https://github.com/org/repo/pull/7" });

        Assert.True(result.HttpStatus == 200, result.ToString());
        Assert.Equal("https://github.com/org/repo/pull/7", result.Json.GetProperty("links").GetProperty("pullRequestLink").GetString());
        Assert.Equal("Deploy org/repo v1.2.3", result.Json.GetProperty("title").GetString());
    }

    [Fact]
    public async Task UpdateGetDeleteExamples_OnCreatedEvent_Work()
    {
        var id = await CreateFirstExampleAsync();
        var update = _examples.Single(c => c.Contains("-X PUT", StringComparison.Ordinal)).Replace(ExampleId, id, StringComparison.Ordinal);
        var get = _examples.Single(c => c.StartsWith("curl http", StringComparison.Ordinal) && c.Contains("/event/", StringComparison.Ordinal)).Replace(ExampleId, id, StringComparison.Ordinal);
        var delete = _examples.Single(c => c.Contains("-X DELETE", StringComparison.Ordinal)).Replace(ExampleId, id, StringComparison.Ordinal);

        var updated = await RunAsync(update);
        Assert.True(updated.HttpStatus == 200, updated.ToString());
        Assert.Equal("STATUS_SUCCESS", updated.Json.GetProperty("attributes").GetProperty("status").GetString());
        Assert.Equal("2024-01-15T10:05:00Z", updated.Json.GetProperty("attributes").GetProperty("endDate").GetString());
        Assert.Equal("user-service", updated.Json.GetProperty("attributes").GetProperty("service").GetString());
        Assert.Equal("PROJ-456", updated.Json.GetProperty("links").GetProperty("ticket").GetString());

        var fetched = await RunAsync(get);
        Assert.True(fetched.HttpStatus == 200, fetched.ToString());
        Assert.Equal(id, fetched.Json.GetProperty("id").GetString());

        var deleted = await RunAsync(delete);
        Assert.True(deleted.HttpStatus == 200, deleted.ToString());
        Assert.Equal(404, (await RunAsync(get)).HttpStatus);
    }

    [Fact]
    public async Task ListExamples_PerPageAndPage_ReturnPagesOfTen()
    {
        for (var i = 0; i < 12; i++)
        {
            await CreateFirstExampleAsync();
        }

        var lists = _examples.Where(c => c.Contains("/events/list", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, lists.Length);
        var first = await RunAsync(lists[0]);
        var second = await RunAsync(lists[1]);

        Assert.True(first.HttpStatus == 200, first.ToString());
        Assert.Equal(10, first.Json.GetProperty("events").GetArrayLength());
        // int64 is a JSON number (the transcoder's setting; CHANGELOG).
        Assert.True(first.Json.GetProperty("totalCount").GetInt64() >= 12);
        var firstIds = first.Json.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetString());
        var secondIds = second.Json.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetString());
        Assert.Empty(firstIds.Intersect(secondIds));
    }

    [Fact]
    public async Task SearchAndTodayExamples_Verbatim_FindTheUseCaseEvents()
    {
        foreach (var create in _examples.Where(c => c.Contains("-X POST", StringComparison.Ordinal)))
        {
            Assert.Equal(200, (await RunAsync(create)).HttpStatus);
        }

        var searches = _examples.Where(c => c.Contains("/events/search", StringComparison.Ordinal)).ToArray();
        Assert.Equal(4, searches.Length);
        var expectations = new Dictionary<string, Func<JsonElement, bool>>
        {
            ["priority=1&type=4"] = e => Attr(e, "priority") == "PRIORITY_P1" && Attr(e, "type") == "TYPE_INCIDENT",
            ["type=1&environment=7"] = e => Attr(e, "type") == "TYPE_DEPLOYMENT" && Attr(e, "environment") == "ENVIRONMENT_PRODUCTION",
            ["service=user-service"] = e => Attr(e, "service") == "user-service",
            ["start_date=2024-01-01&end_date=2024-01-31"] = e => Attr(e, "startDate")?.StartsWith("2024-01", StringComparison.Ordinal) == true,
        };
        foreach (var search in searches)
        {
            var result = await RunAsync(search);
            Assert.True(result.HttpStatus == 200, result.ToString());
            var events = result.Json.GetProperty("events").EnumerateArray().ToArray();
            Assert.NotEmpty(events);
            var check = expectations.Single(x => search.Contains(x.Key, StringComparison.Ordinal)).Value;
            Assert.All(events, e => Assert.True(check(e), e.ToString()));
        }

        var today = await RunAsync(_examples.Single(c => c.Contains("/events/today", StringComparison.Ordinal)));
        Assert.True(today.HttpStatus == 200, today.ToString());
        Assert.Contains(today.Json.GetProperty("events").EnumerateArray(), e => Attr(e, "service") == "database");
    }

    [Fact]
    public async Task RelatedEventExample_NamingRealEvent_InheritsServiceAndLinks()
    {
        var original = await CreateFirstExampleAsync();
        var body = """
            {
              "title": "Rollback user-service to v2.0.9",
              "attributes": {
                "relatedId": "original-deployment-id",
                "type": 1,
                "status": 1
              }
            }
            """.Replace("original-deployment-id", original, StringComparison.Ordinal);
        var command = $"curl -X POST {Server.HttpAddress}api/v1alpha1/event -H \"Content-Type: application/json\" -d '{body}'";

        var result = await RunAsync(command);

        Assert.True(result.HttpStatus == 200, result.ToString());
        Assert.Equal(original, result.Json.GetProperty("attributes").GetProperty("relatedId").GetString());
        Assert.Equal("user-service", Attr(result.Json, "service"));
    }

    private static string? Attr(JsonElement e, string name) =>
        e.GetProperty("attributes").TryGetProperty(name, out var value) ? value.ToString() : null;

    private async Task<string> CreateFirstExampleAsync()
    {
        var result = await RunAsync(_examples[0]);
        Assert.True(result.HttpStatus == 200, result.ToString());
        return result.Json.GetProperty("id").GetString()!;
    }

    private Task<CurlResult> RunAsync(string command, Dictionary<string, string>? overrides = null)
    {
        var values = new Dictionary<string, string>
        {
            ["secrets.TRACKER_URL"] = Server.HttpAddress.ToString().TrimEnd('/'),
            ["github.repository"] = "org/repo",
            ["github.ref_name"] = "v1.2.3",
            ["github.actor"] = "octocat",
            // A push build has no pull request: GitHub substitutes an empty string.
            ["github.event.pull_request.html_url"] = "",
            ["TRACKER_URL"] = Server.HttpAddress.ToString().TrimEnd('/'),
            ["JOB_NAME"] = "deploy-api",
            ["BUILD_NUMBER"] = "42",
        };
        foreach (var (key, value) in overrides ?? [])
        {
            values[key] = value;
        }

        return _curl.RunAsync(SeedCurlExamples.Substitute(command, Server.HttpAddress, values));
    }
}

public sealed class SqliteSeedExamplesTests(SqliteTrackerFixture fixture)
    : SeedExamplesTests(fixture), IClassFixture<SqliteTrackerFixture>;

public sealed class PostgresSeedExamplesTests(PostgresTrackerFixture fixture)
    : SeedExamplesTests(fixture), IClassFixture<PostgresTrackerFixture>;
