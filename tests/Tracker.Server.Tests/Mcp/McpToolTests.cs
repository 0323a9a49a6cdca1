using System.Text.Json;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Tracker.Api.V1Alpha1;
using Tracker.Server.Tests.Support;
using Tracker.Testing;

namespace Tracker.Server.Tests.Mcp;

/// <summary>Tracker without authentication, on a clock the tests move, for the MCP tool tests.</summary>
public sealed class McpTracker : IAsyncDisposable
{
    public McpTracker()
    {
        Factory = new TrackerFactory { TestServices = services => services.AddSingleton<TimeProvider>(Time) };
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public TrackerFactory Factory { get; }

    public Task<McpClient> ConnectAsync(string? bearer = null) =>
        TrackerMcpClient.ConnectAsync(Factory.Server.BaseAddress, bearer, Factory.Server.CreateHandler()).Bounded();

    public ValueTask DisposeAsync() => Factory.DisposeAsync();
}

/// <summary>
/// The MCP server at /mcp, driven by the C# MCP SDK's client over Streamable HTTP: the tools it
/// lists, each tool's answer, and errors that are the API's own, as tool errors.
/// </summary>
public sealed class McpToolTests(McpTracker tracker) : IClassFixture<McpTracker>
{
    private static readonly string[] ToolNames = ["count_events", "create_event", "get_event", "recent_changes", "search_events"];

    [Fact]
    public async Task ListTools_AnyCaller_ListsTheFiveToolsEachParameterDescribed()
    {
        await using var client = await tracker.ConnectAsync();

        var tools = await client.ListToolsAsync().AsTask().Bounded();

        Assert.Equal(ToolNames, tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        foreach (var tool in tools)
        {
            Assert.True(tool.Description.Length > 80, $"{tool.Name} has a short description: {tool.Description}");
            foreach (var parameter in tool.JsonSchema.GetProperty("properties").EnumerateObject())
            {
                Assert.True(parameter.Value.TryGetProperty("description", out var description) && description.GetString()!.Length > 10, $"{tool.Name}.{parameter.Name} has no description");
            }
        }

        var create = tools.Single(t => t.Name == "create_event");
        Assert.Equal(["service", "title", "type"], create.JsonSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()).Order(StringComparer.Ordinal));
        Assert.True(tools.Single(t => t.Name == "search_events").ProtocolTool.Annotations?.ReadOnlyHint);
    }

    [Fact]
    public async Task CreateEvent_ValidArguments_StoresTheEventAsCreateEventDoes()
    {
        await using var client = await tracker.ConnectAsync();
        var service = TestEvents.UniqueService();

        var result = await CallAsync(client, "create_event", new()
        {
            ["title"] = "Deploy payments-api 2.4.1",
            ["type"] = "deployment",
            ["service"] = service,
            ["environment"] = "ENVIRONMENT_PRODUCTION",
            ["status"] = "in_progress",
            ["severity"] = "Warning",
            ["start_date"] = "2026-12-07T14:30:00Z",
            ["labels"] = new Dictionary<string, string> { ["version"] = "2.4.1" },
        });

        var created = Ok(result);
        var stored = await tracker.Factory.CreateGrpcClient().GetEventAsync(new GetEventRequest { Id = created.GetProperty("id").GetString() }).Bounded();
        Assert.Equal(
            ("Deploy payments-api 2.4.1", Tracker.Api.V1Alpha1.Type.Deployment, service, Tracker.Api.V1Alpha1.Environment.Production, Tracker.Api.V1Alpha1.Status.InProgress, Severity.Warning, "2.4.1"),
            (stored.Title, stored.Attributes.Type, stored.Attributes.Service, stored.Attributes.Environment, stored.Attributes.Status, stored.Attributes.Severity, stored.Attributes.Labels["version"]));
        Assert.Equal(new DateTime(2026, 12, 7, 14, 30, 0, DateTimeKind.Utc), stored.Attributes.StartDate.ToDateTime());
    }

    [Fact]
    public async Task CreateEvent_InvalidEvent_ToolErrorWithCreateEventsOwnMessage()
    {
        await using var client = await tracker.ConnectAsync();
        var invalid = new CreateEventRequest { Title = new string('x', 501), Attributes = new EventAttributes { Type = Tracker.Api.V1Alpha1.Type.Incident, Service = "checkout" } };
        var api = await Assert.ThrowsAsync<RpcException>(() => tracker.Factory.CreateGrpcClient().CreateEventAsync(invalid).Bounded());

        var result = await CallAsync(client, "create_event", new() { ["title"] = invalid.Title, ["type"] = "incident", ["service"] = "checkout" });

        Assert.True(result.IsError);
        Assert.Equal("INVALID_ARGUMENT: " + api.Status.Detail, result.Text());
        Assert.Equal("INVALID_ARGUMENT: Invalid event: title must be at most 500 characters", result.Text());
    }

    [Fact]
    public async Task CreateEvent_UnknownEnumAndBadTime_ToolErrorNamesEachArgumentAndRule()
    {
        await using var client = await tracker.ConnectAsync();

        var result = await CallAsync(client, "create_event", new() { ["title"] = "x", ["type"] = "deploy", ["service"] = "checkout", ["start_date"] = "yesterday" });

        Assert.True(result.IsError);
        Assert.Equal(
            "INVALID_ARGUMENT: Invalid arguments: type must be one of deployment, operation, drift, incident, rpa_usage (or the full name, e.g. TYPE_DEPLOYMENT); "
            + "start_date must be an RFC 3339 time with an offset, e.g. 2026-12-07T14:30:00Z",
            result.Text());
    }

    [Fact]
    public async Task CreateEvent_ManyViolations_ToolErrorListsThoseTheMessageLeavesOut()
    {
        await using var client = await tracker.ConnectAsync();
        var tooLong = new string('x', 129);
        var invalid = new CreateEventRequest
        {
            Title = string.Empty,
            RequestId = tooLong,
            Attributes = new EventAttributes
            {
                Type = Tracker.Api.V1Alpha1.Type.Incident, Service = tooLong, Source = tooLong, Owner = tooLong, Reason = tooLong,
                StartDate = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(new DateTime(2026, 12, 7, 0, 0, 0, DateTimeKind.Utc)),
                EndDate = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(new DateTime(2026, 12, 6, 0, 0, 0, DateTimeKind.Utc)),
            },
        };
        var api = await Assert.ThrowsAsync<RpcException>(() => tracker.Factory.CreateGrpcClient().CreateEventAsync(invalid).Bounded());

        var result = await CallAsync(client, "create_event", new()
        {
            ["title"] = string.Empty, ["type"] = "incident", ["service"] = tooLong, ["source"] = tooLong, ["owner"] = tooLong, ["reason"] = tooLong,
            ["start_date"] = "2026-12-07T00:00:00Z", ["end_date"] = "2026-12-06T00:00:00Z", ["request_id"] = tooLong,
        });

        Assert.True(result.IsError);
        Assert.Contains("(and ", api.Status.Detail, StringComparison.Ordinal);
        var lines = result.Text().Split('\n');
        Assert.Equal("INVALID_ARGUMENT: " + api.Status.Detail, lines[0]);
        Assert.NotEmpty(lines.Skip(1));
        Assert.All(lines.Skip(1), line => Assert.StartsWith("- ", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CallTool_WrongTypesMissingAndUnknownArguments_ToolErrorNamesEach()
    {
        await using var client = await tracker.ConnectAsync();

        var search = await CallAsync(client, "search_events", new() { ["page_size"] = "20", ["fitler"] = "type=deployment" });
        var get = await CallAsync(client, "get_event", new());
        var create = await CallAsync(client, "create_event", new() { ["title"] = "x", ["type"] = "incident", ["service"] = "s", ["labels"] = new Dictionary<string, object> { ["attempt"] = 2 } });

        Assert.Equal(
            "INVALID_ARGUMENT: Invalid arguments: page_size must be an integer (32-bit), not a string; "
            + "fitler is not an argument of this tool; its arguments are filter, q, start_date, end_date, order_by, page_size, page_token",
            search.Text());
        Assert.Equal("INVALID_ARGUMENT: Invalid arguments: id is required", get.Text());
        Assert.Equal("INVALID_ARGUMENT: Invalid arguments: labels.attempt must be a string, not the number 2", create.Text());
        Assert.True(search.IsError == true && get.IsError == true && create.IsError == true);
    }

    [Fact]
    public async Task GetEvent_ExistingId_ReturnsTheEvent()
    {
        await using var client = await tracker.ConnectAsync();
        var created = await tracker.Factory.CreateGrpcClient().CreateEventAsync(TestEvents.Deployment()).Bounded();

        var found = Ok(await CallAsync(client, "get_event", new() { ["id"] = created.Id }));

        Assert.Equal((created.Id, created.Title, "TYPE_DEPLOYMENT"), (found.GetProperty("id").GetString(), found.GetProperty("title").GetString(), found.GetProperty("attributes").GetProperty("type").GetString()));
    }

    [Fact]
    public async Task GetEvent_UnknownId_ToolErrorNotFound()
    {
        await using var client = await tracker.ConnectAsync();

        var result = await CallAsync(client, "get_event", new() { ["id"] = "019aa3b2-7c4e-7d21-9a51-3c0f2b8e4d11" });

        Assert.True(result.IsError);
        Assert.StartsWith("NOT_FOUND: ", result.Text(), StringComparison.Ordinal);
        Assert.Contains("019aa3b2-7c4e-7d21-9a51-3c0f2b8e4d11", result.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchEvents_FilterQAndTimeRange_ReturnsOnlyTheMatches()
    {
        await using var client = await tracker.ConnectAsync();
        var grpc = tracker.Factory.CreateGrpcClient();
        var service = TestEvents.UniqueService();
        var match = await grpc.CreateEventAsync(TestEvents.Deployment(service, "Rollback of checkout")).Bounded();
        await grpc.CreateEventAsync(TestEvents.Deployment(service, "Deploy checkout")).Bounded();
        var later = TestEvents.Deployment(service, "Rollback of checkout again");
        later.Attributes.StartDate = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(new DateTime(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc));
        later.Attributes.EndDate = null;
        await grpc.CreateEventAsync(later).Bounded();

        var page = Ok(await CallAsync(client, "search_events", new()
        {
            ["filter"] = $"service=\"{service}\" AND type=deployment",
            ["q"] = "rollb",
            ["start_date"] = "2024-01-15",
            ["end_date"] = "2024-01-31T00:00:00Z",
            ["order_by"] = "start_date desc",
            ["page_size"] = 10,
        }));

        Assert.Equal([match.Id], page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        Assert.Equal("TOTAL_COUNT_RELATION_EXACT", page.GetProperty("totalCountRelation").GetString());
    }

    [Fact]
    public async Task SearchEvents_PageToken_ContinuesTheSearch()
    {
        await using var client = await tracker.ConnectAsync();
        var grpc = tracker.Factory.CreateGrpcClient();
        var service = TestEvents.UniqueService();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await grpc.CreateEventAsync(TestEvents.Deployment(service, $"Deploy {i}")).Bounded()).Id);
        }

        var first = Ok(await CallAsync(client, "search_events", new() { ["filter"] = $"service=\"{service}\"", ["order_by"] = "title", ["page_size"] = 2 }));
        var second = Ok(await CallAsync(client, "search_events", new() { ["filter"] = $"service=\"{service}\"", ["order_by"] = "title", ["page_size"] = 2, ["page_token"] = first.GetProperty("nextPageToken").GetString() }));

        var listed = first.GetProperty("events").EnumerateArray().Concat(second.GetProperty("events").EnumerateArray()).Select(e => e.GetProperty("id").GetString());
        Assert.Equal(ids, listed);
        Assert.Equal(string.Empty, second.GetProperty("nextPageToken").GetString());
    }

    [Theory]
    [InlineData("severity>>error")]
    [InlineData("colour=red")]
    [InlineData("type<deployment")]
    public async Task SearchEvents_BadFilter_ToolErrorWithTheApisMessageNamingTheRule(string filter)
    {
        await using var client = await tracker.ConnectAsync();
        var api = await Assert.ThrowsAsync<RpcException>(() => tracker.Factory.CreateGrpcClient().SearchEventsAsync(new SearchEventsRequest { Filter = filter }).Bounded());

        var result = await CallAsync(client, "search_events", new() { ["filter"] = filter });

        Assert.True(result.IsError);
        Assert.Equal(StatusCode.InvalidArgument, api.StatusCode);
        Assert.Equal("INVALID_ARGUMENT: " + api.Status.Detail, result.Text());
        Assert.StartsWith("INVALID_ARGUMENT: Invalid request: filter ", result.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecentChanges_LastTwoHours_ListsOnlyThatEnvironmentsEventsChangedSince()
    {
        await using var client = await tracker.ConnectAsync();
        var grpc = tracker.Factory.CreateGrpcClient();
        var service = TestEvents.UniqueService();
        var old = await grpc.CreateEventAsync(TestEvents.Deployment(service, "Old deploy")).Bounded();
        tracker.Time.Advance(TimeSpan.FromHours(5));
        var recent = await grpc.CreateEventAsync(TestEvents.Deployment(service, "Recent deploy")).Bounded();
        var staging = TestEvents.Deployment(service, "Staging deploy");
        staging.Attributes.Environment = Tracker.Api.V1Alpha1.Environment.Preproduction;
        await grpc.CreateEventAsync(staging).Bounded();
        var otherService = await grpc.CreateEventAsync(TestEvents.Deployment(title: "Other service")).Bounded();
        tracker.Time.Advance(TimeSpan.FromMinutes(30));
        await grpc.UpdateEventAsync(new UpdateEventRequest { Id = old.Id, Title = "Old deploy, finished" }).Bounded();

        var all = Ok(await CallAsync(client, "recent_changes", new() { ["environment"] = "production", ["hours"] = 2 }));
        var mine = Ok(await CallAsync(client, "recent_changes", new() { ["environment"] = "production", ["hours"] = 2, ["service"] = service }));

        var ids = all.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetString()).ToList();
        Assert.Contains(otherService.Id, ids);
        Assert.Equal([old.Id, recent.Id], mine.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        var since = DateTimeOffset.Parse(mine.GetProperty("since").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(tracker.Time.GetUtcNow() - since, TimeSpan.FromHours(2), TimeSpan.FromHours(2).Add(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task RecentChanges_PageTokenAfterTheClockMoved_ContinuesTheFirstPagesWindow()
    {
        await using var client = await tracker.ConnectAsync();
        var grpc = tracker.Factory.CreateGrpcClient();
        var service = TestEvents.UniqueService();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Insert(0, (await grpc.CreateEventAsync(TestEvents.Deployment(service, $"Deploy {i}")).Bounded()).Id);
            tracker.Time.Advance(TimeSpan.FromSeconds(1));
        }

        var arguments = new Dictionary<string, object?> { ["environment"] = "production", ["hours"] = 1, ["service"] = service, ["page_size"] = 2 };
        var first = Ok(await CallAsync(client, "recent_changes", arguments));
        tracker.Time.Advance(TimeSpan.FromMinutes(10));
        arguments["page_token"] = first.GetProperty("nextPageToken").GetString();
        var second = Ok(await CallAsync(client, "recent_changes", arguments));

        var listed = first.GetProperty("events").EnumerateArray().Concat(second.GetProperty("events").EnumerateArray()).Select(e => e.GetProperty("id").GetString());
        Assert.Equal(ids, listed);
        Assert.Equal(first.GetProperty("since").GetString(), second.GetProperty("since").GetString());
        Assert.Equal(string.Empty, second.GetProperty("nextPageToken").GetString());
    }

    [Fact]
    public async Task RecentChanges_PageTokenOfSearchEvents_ToolErrorNamesPageToken()
    {
        await using var client = await tracker.ConnectAsync();

        var result = await CallAsync(client, "recent_changes", new() { ["environment"] = "production", ["hours"] = 1, ["page_token"] = "not-a-token" });

        Assert.True(result.IsError);
        Assert.Equal("INVALID_ARGUMENT: Invalid arguments: page_token is not a nextPageToken of recent_changes; pass the one its last answer gave, or leave it out for the first page", result.Text());
    }

    [Fact]
    public async Task CallTool_PageSizeIntegralNumber_AcceptedAsAnInteger()
    {
        var grpc = tracker.Factory.CreateGrpcClient();
        var service = TestEvents.UniqueService();
        await grpc.CreateEventAsync(TestEvents.Deployment(service, "One")).Bounded();
        await grpc.CreateEventAsync(TestEvents.Deployment(service, "Two")).Bounded();
        using var http = tracker.Factory.CreateClient();

        // Written by hand: a JSON serializer writes the double 1.0 as 1.
        var page = await RawCallAsync(http, $$$"""{"name":"search_events","arguments":{"filter":"service=\"{{{service}}}\"","page_size":1.0}}""");
        var half = await RawCallAsync(http, """{"name":"search_events","arguments":{"page_size":1.5}}""");

        Assert.False(page.GetProperty("isError").GetBoolean(), page.ToString());
        Assert.Equal(1, JsonDocument.Parse(page.GetProperty("content")[0].GetProperty("text").GetString()!).RootElement.GetProperty("events").GetArrayLength());
        Assert.Equal("INVALID_ARGUMENT: Invalid arguments: page_size must be an integer (32-bit), not the number 1.5", half.GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task CreateEvent_LabelValueNullOrNumber_SchemaAndToolErrorAgreeNamingTheMember()
    {
        await using var client = await tracker.ConnectAsync();

        var tools = await client.ListToolsAsync().AsTask().Bounded();
        var nullValue = await CallAsync(client, "create_event", new() { ["title"] = "x", ["type"] = "incident", ["service"] = "s", ["labels"] = new Dictionary<string, object?> { ["a"] = null } });
        var numberValue = await CallAsync(client, "create_event", new() { ["title"] = "x", ["type"] = "incident", ["service"] = "s", ["labels"] = new Dictionary<string, object?> { ["a"] = 1 } });

        var labels = tools.Single(t => t.Name == "create_event").JsonSchema.GetProperty("properties").GetProperty("labels");
        Assert.Equal("string", labels.GetProperty("additionalProperties").GetProperty("type").GetString());
        Assert.Equal("INVALID_ARGUMENT: Invalid arguments: labels.a must be a string, not null", nullValue.Text());
        Assert.Equal("INVALID_ARGUMENT: Invalid arguments: labels.a must be a string, not the number 1", numberValue.Text());
    }

    [Fact]
    public async Task Tools_NonAsciiText_EveryToolWritesRawUtf8TheSameWay()
    {
        await using var client = await tracker.ConnectAsync();
        var service = TestEvents.UniqueService();

        var created = await CallAsync(client, "create_event", new() { ["title"] = "Café & co <1>", ["type"] = "deployment", ["service"] = service, ["environment"] = "production" });
        var id = JsonDocument.Parse(created.Text()).RootElement.GetProperty("id").GetString();
        var answers = new[]
        {
            created,
            await CallAsync(client, "get_event", new() { ["id"] = id }),
            await CallAsync(client, "search_events", new() { ["filter"] = $"service=\"{service}\"" }),
            await CallAsync(client, "recent_changes", new() { ["environment"] = "production", ["hours"] = 1, ["service"] = service }),
            await CallAsync(client, "count_events", new() { ["filter"] = $"service=\"{service}\"" }),
        };

        Assert.All(answers, answer => Assert.DoesNotContain("\\u", answer.Text(), StringComparison.Ordinal));
        Assert.All(answers, answer => Assert.DoesNotContain("\": ", answer.Text(), StringComparison.Ordinal));
        Assert.All(answers.Take(4), answer => Assert.Contains("\"title\":\"Café & co <1>\"", answer.Text(), StringComparison.Ordinal));
        Assert.Contains($"\"{service}\":1", answers[4].Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecentChanges_UnknownEnvironmentAndNoHours_ToolErrorNamesBoth()
    {
        await using var client = await tracker.ConnectAsync();

        var result = await CallAsync(client, "recent_changes", new() { ["environment"] = "prod", ["hours"] = 0 });

        Assert.True(result.IsError);
        Assert.Equal(
            "INVALID_ARGUMENT: Invalid arguments: environment must be one of development, integration, tnr, uat, recette, preproduction, production, mco "
            + "(or the full name, e.g. ENVIRONMENT_DEVELOPMENT); hours must be more than 0 and at most 8784 (a year)",
            result.Text());
    }

    [Fact]
    public async Task CountEvents_MixedEvents_CountsByTypeByServiceAndBoth()
    {
        await using var client = await tracker.ConnectAsync();
        var grpc = tracker.Factory.CreateGrpcClient();
        var label = Guid.NewGuid().ToString("N");
        foreach (var (type, service) in new[] { (Tracker.Api.V1Alpha1.Type.Deployment, "pay"), (Tracker.Api.V1Alpha1.Type.Deployment, "pay"), (Tracker.Api.V1Alpha1.Type.Incident, "pay"), (Tracker.Api.V1Alpha1.Type.Deployment, "cart") })
        {
            var request = TestEvents.Deployment(service);
            request.Attributes.Type = type;
            request.Attributes.Labels["run"] = label;
            await grpc.CreateEventAsync(request).Bounded();
        }

        var counts = Ok(await CallAsync(client, "count_events", new() { ["filter"] = $"labels.run=\"{label}\"" }));

        Assert.Equal((4, "TOTAL_COUNT_RELATION_EXACT", 4, true), (counts.GetProperty("total").GetInt32(), counts.GetProperty("totalRelation").GetString(), counts.GetProperty("counted").GetInt32(), counts.GetProperty("complete").GetBoolean()));
        Assert.Equal("""{"TYPE_DEPLOYMENT":3,"TYPE_INCIDENT":1}""", counts.GetProperty("byType").GetRawText());
        Assert.Equal("""{"pay":3,"cart":1}""", counts.GetProperty("byService").GetRawText());
        Assert.Equal(
            """[{"type":"TYPE_DEPLOYMENT","service":"pay","count":2},{"type":"TYPE_DEPLOYMENT","service":"cart","count":1},{"type":"TYPE_INCIDENT","service":"pay","count":1}]""",
            counts.GetProperty("byTypeAndService").GetRawText());
    }

    [Fact]
    public async Task CountEvents_BadDate_ToolErrorNamesTheField()
    {
        await using var client = await tracker.ConnectAsync();

        var result = await CallAsync(client, "count_events", new() { ["start_date"] = "last week" });

        Assert.True(result.IsError);
        Assert.StartsWith("INVALID_ARGUMENT: Invalid request: start_date must be an RFC 3339 date-time", result.Text(), StringComparison.Ordinal);
    }

    /// <summary>The result of a tools/call whose params are <paramref name="parameters"/>, as JSON text, over plain HTTP.</summary>
    private static async Task<JsonElement> RawCallAsync(HttpClient http, string parameters)
    {
        using var response = await http.SendAsync(McpAccessTests.McpPost($$$"""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{{{parameters}}}}""")).Bounded();
        var body = await response.Content.ReadAsStringAsync().Bounded();
        var data = body.Split('\n').Single(line => line.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..];
        return JsonDocument.Parse(data).RootElement.GetProperty("result").Clone();
    }

    internal static Task<CallToolResult> CallAsync(McpClient client, string tool, Dictionary<string, object?> arguments) =>
        client.CallToolAsync(tool, arguments).AsTask().Bounded();

    internal static JsonElement Ok(CallToolResult result)
    {
        Assert.False(result.IsError, result.Text());
        return JsonDocument.Parse(result.Text()).RootElement;
    }
}
