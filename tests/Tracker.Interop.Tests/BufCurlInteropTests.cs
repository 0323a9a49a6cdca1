using System.Text.Json;

namespace Tracker.Interop.Tests;

/// <summary>
/// buf curl (pinned in tests/interop/package.json) against the real server, with no local schema:
/// everything it knows about the services comes from server reflection.
/// </summary>
[Collection(TrackerServerCollection.Name)]
public sealed class BufCurlInteropTests(TrackerServerFixture server)
{
    private static readonly string[] AllServices =
    [
        "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection",
        "grpc.reflection.v1alpha.ServerReflection",
        "tracker.event.v1alpha1.ChannelService",
        "tracker.event.v1alpha1.EventService",
    ];

    [Theory]
    [InlineData("grpc-v1")]
    [InlineData("grpc-v1alpha")]
    public async Task ListServices_EachReflectionProtocol_ListsEveryService(string reflectProtocol)
    {
        var run = await BufCurl(["--reflect-protocol", reflectProtocol, "--list-services", server.GrpcUrl.ToString()]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(AllServices, Lines(run.Output).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ListMethods_ThroughReflection_ListsEveryMethod()
    {
        var run = await BufCurl(["--list-methods", server.GrpcUrl.ToString()]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var methods = Lines(run.Output);
        Assert.Equal(
            [
                "grpc.health.v1.Health/Check", "grpc.health.v1.Health/Watch",
                "grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
                "grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
                "tracker.event.v1alpha1.ChannelService/CreateChannel", "tracker.event.v1alpha1.ChannelService/DeleteChannel",
                "tracker.event.v1alpha1.ChannelService/GetChannel", "tracker.event.v1alpha1.ChannelService/ListChannels",
                "tracker.event.v1alpha1.ChannelService/ListDeliveries", "tracker.event.v1alpha1.ChannelService/Redeliver",
                "tracker.event.v1alpha1.ChannelService/SendTestMessage", "tracker.event.v1alpha1.ChannelService/UpdateChannel",
                "tracker.event.v1alpha1.EventService/CreateEvent", "tracker.event.v1alpha1.EventService/DeleteEvent",
                "tracker.event.v1alpha1.EventService/GetEvent", "tracker.event.v1alpha1.EventService/ListEvents",
                "tracker.event.v1alpha1.EventService/SearchEvents", "tracker.event.v1alpha1.EventService/TodayEvents",
                "tracker.event.v1alpha1.EventService/UpdateEvent", "tracker.event.v1alpha1.EventService/WatchEvents",
            ],
            methods.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("grpc-v1")]
    [InlineData("grpc-v1alpha")]
    public async Task HealthCheck_EachReflectionProtocol_ReturnsServing(string reflectProtocol)
    {
        var run = await BufCurl(["--reflect-protocol", reflectProtocol, "-d", """{"service":""}""", Method("grpc.health.v1.Health/Check")]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("SERVING", JsonDocument.Parse(run.Output).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task HealthCheck_EventService_ReturnsServing()
    {
        var run = await BufCurl(["-d", """{"service":"tracker.event.v1alpha1.EventService"}""", Method("grpc.health.v1.Health/Check")]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("SERVING", JsonDocument.Parse(run.Output).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Watch_UntilClientTimeout_StreamsTheCurrentStatusFirst()
    {
        // Watch never ends by itself: buf's own timeout ends it, with DEADLINE_EXCEEDED (exit code 8 x 4).
        var run = await BufCurl(["--timeout", "3s", "-d", "{}", Method("grpc.health.v1.Health/Watch")]);

        Assert.True(run.ExitCode == 32, run.ToString());
        Assert.Equal("SERVING", JsonDocument.Parse(run.Output).RootElement.GetProperty("status").GetString());
        Assert.Contains("deadline_exceeded", run.Error);
    }

    [Fact]
    public async Task CreateEvent_ThenGetEvent_RoundTripsThroughReflectedSchema()
    {
        var created = await BufCurl(
            ["-d", """{"title":"deployed by buf curl","attributes":{"type":"TYPE_DEPLOYMENT","service":"interop-buf"}}""",
             Method("tracker.event.v1alpha1.EventService/CreateEvent")]);
        Assert.True(created.ExitCode == 0, created.ToString());
        var id = JsonDocument.Parse(created.Output).RootElement.GetProperty("id").GetString();

        var fetched = await BufCurl(["-d", JsonSerializer.Serialize(new { id }), Method("tracker.event.v1alpha1.EventService/GetEvent")]);

        Assert.True(fetched.ExitCode == 0, fetched.ToString());
        var fetchedEvent = JsonDocument.Parse(fetched.Output).RootElement;
        Assert.Equal(id, fetchedEvent.GetProperty("id").GetString());
        Assert.Equal("deployed by buf curl", fetchedEvent.GetProperty("title").GetString());
        Assert.Equal("interop-buf", fetchedEvent.GetProperty("attributes").GetProperty("service").GetString());
    }

    [Fact]
    public async Task EventLifecycle_ThroughReflectedSchema_CreateGetUpdateSearchListTodayDelete()
    {
        var service = "interop-lifecycle-" + Guid.NewGuid().ToString("N");
        var created = await Call("CreateEvent", new { title = "Deploy api v1", attributes = new { type = "TYPE_DEPLOYMENT", service, status = "STATUS_START" } });
        var id = created.GetProperty("id").GetString()!;

        Assert.Equal("Deploy api v1", (await Call("GetEvent", new { id })).GetProperty("title").GetString());

        var updated = await Call("UpdateEvent", new { id, etag = created.GetProperty("etag").GetString(), attributes = new { status = "STATUS_SUCCESS" } });
        Assert.Equal("STATUS_SUCCESS", updated.GetProperty("attributes").GetProperty("status").GetString());
        Assert.Equal(service, updated.GetProperty("attributes").GetProperty("service").GetString());

        var found = await Call("SearchEvents", new { service, status = "STATUS_SUCCESS" });
        Assert.Equal(id, found.GetProperty("events")[0].GetProperty("id").GetString());
        Assert.Equal("1", found.GetProperty("totalCount").GetString());

        var listed = await Call("ListEvents", new { page_size = 1000 });
        Assert.Contains(listed.GetProperty("events").EnumerateArray(), e => e.GetProperty("id").GetString() == id);

        var today = await Call("TodayEvents", new { time_zone = "Europe/Paris", per_page = 1000 });
        Assert.Contains(today.GetProperty("events").EnumerateArray(), e => e.GetProperty("id").GetString() == id);

        await Call("DeleteEvent", new { id });
        var gone = await BufCurl(["-d", JsonSerializer.Serialize(new { id }), Method("tracker.event.v1alpha1.EventService/GetEvent")]);
        Assert.True(gone.ExitCode == 40, gone.ToString());
    }

    [Fact]
    public async Task GetEvent_Missing_ReportsNotFoundWithItsDetail()
    {
        var run = await BufCurl(["-d", """{"id":"01900000-0000-7000-8000-000000000000"}""", Method("tracker.event.v1alpha1.EventService/GetEvent")]);

        // buf curl exits with the status code times 8 and prints the error as JSON.
        Assert.True(run.ExitCode == 40, run.ToString());
        var error = JsonDocument.Parse(run.Error).RootElement;
        Assert.Equal("not_found", error.GetProperty("code").GetString());
        Assert.Equal("google.rpc.ResourceInfo", error.GetProperty("details")[0].GetProperty("type").GetString());
    }

    /// <summary>The events guide's grpcurl CreateEvent body, its enum values given as <paramref name="type"/> etc.</summary>
    private static string GuideCreateBody(string type, string priority, string status, string environment) => $$"""
        {
          "title": "Deploy user-service v2.1.0",
          "attributes": {
            "message": "Deployed via GitHub Actions",
            "type": {{type}},
            "priority": {{priority}},
            "service": "user-service",
            "status": {{status}},
            "environment": {{environment}},
            "start_date": "2024-01-15T10:00:00Z",
            "end_date": "2024-01-15T10:05:00Z"
          },
          "links": {
            "pull_request_link": "https://github.com/org/repo/pull/123"
          }
        }
        """;

    [Theory]
    [InlineData("1", "2", "3", "7")]
    [InlineData("\"TYPE_DEPLOYMENT\"", "\"PRIORITY_P2\"", "\"STATUS_SUCCESS\"", "\"ENVIRONMENT_PRODUCTION\"")]
    public async Task CreateEvent_GuideExampleWithUnquotedNumbersOrNames_Creates(string type, string priority, string status, string environment)
    {
        var run = await BufCurl(["-d", GuideCreateBody(type, priority, status, environment), Method("tracker.event.v1alpha1.EventService/CreateEvent")]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var attributes = JsonDocument.Parse(run.Output).RootElement.GetProperty("attributes");
        Assert.Equal("TYPE_DEPLOYMENT", attributes.GetProperty("type").GetString());
        Assert.Equal("PRIORITY_P2", attributes.GetProperty("priority").GetString());
        Assert.Equal("STATUS_SUCCESS", attributes.GetProperty("status").GetString());
        Assert.Equal("ENVIRONMENT_PRODUCTION", attributes.GetProperty("environment").GetString());
        Assert.Equal("2024-01-15T10:05:00Z", attributes.GetProperty("endDate").GetString());
    }

    [Fact]
    public async Task CreateEvent_GuideExampleWithQuotedNumbers_RefusedByBufCurlBeforeSending()
    {
        // buf curl reads -d as proto3 JSON (protojson), where an enum in a JSON string must be a
        // value's name: it refuses "1" itself, before connecting, so the port needs no server.
        var port = ClosedPort();

        var run = await BufCurl(
            ["--schema", RepoPaths.Root, "-d", GuideCreateBody("\"1\"", "\"2\"", "\"3\"", "\"7\""),
             $"http://127.0.0.1:{port}/tracker.event.v1alpha1.EventService/CreateEvent"]);

        Assert.True(run.ExitCode == 1, run.ToString());
        // protobuf-go puts a space or a no-break space after "proto:" (deliberately unstable text).
        Assert.StartsWith("Failure: json unmarshal: proto:", run.Error, StringComparison.Ordinal);
        Assert.Contains("(line 5:13): invalid value for enum field type: \"1\"", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListEvents_GuideExampleWithoutBody_ListsEvents()
    {
        await Call("CreateEvent", new { title = "listed", attributes = new { type = "TYPE_OPERATION", service = "interop-guide-list" } });

        var run = await BufCurl([Method("tracker.event.v1alpha1.EventService/ListEvents")]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.NotEmpty(JsonDocument.Parse(run.Output).RootElement.GetProperty("events").EnumerateArray());
    }

    [Theory]
    [InlineData("""{"priority": 1}""")]
    [InlineData("""{"priority": "PRIORITY_P1"}""")]
    public async Task SearchEvents_GuideExampleByPriority_FindsOnlyThatPriority(string body)
    {
        var created = await Call("CreateEvent", new { title = "P1 incident", attributes = new { type = "TYPE_INCIDENT", priority = "PRIORITY_P1", service = "interop-guide-p1" } });

        var found = await Call("SearchEvents", JsonDocument.Parse(body).RootElement);

        var events = found.GetProperty("events").EnumerateArray().ToArray();
        Assert.Contains(events, e => e.GetProperty("id").GetString() == created.GetProperty("id").GetString());
        Assert.All(events, e => Assert.Equal("PRIORITY_P1", e.GetProperty("attributes").GetProperty("priority").GetString()));
    }

    [Fact]
    public async Task SearchEvents_GuideExampleByDateRange_FindsTheEventsOfThoseDays()
    {
        var created = await Call("CreateEvent", new { title = "January", attributes = new { type = "TYPE_OPERATION", service = "interop-guide-dates", start_date = "2024-01-20T08:00:00Z" } });

        var found = await Call("SearchEvents", JsonDocument.Parse("""{"start_date": "2024-01-01", "end_date": "2024-01-31"}""").RootElement);

        var events = found.GetProperty("events").EnumerateArray().ToArray();
        Assert.Contains(events, e => e.GetProperty("id").GetString() == created.GetProperty("id").GetString());
        Assert.All(events, e => Assert.StartsWith("2024-01-", e.GetProperty("attributes").GetProperty("startDate").GetString(), StringComparison.Ordinal));
    }

    /// <summary>A port on 127.0.0.1 that nothing listens on: bound, then released.</summary>
    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<JsonElement> Call(string method, object request)
    {
        var run = await BufCurl(["-d", JsonSerializer.Serialize(request), Method("tracker.event.v1alpha1.EventService/" + method)]);
        Assert.True(run.ExitCode == 0, $"{method}: {run}");
        return JsonDocument.Parse(run.Output).RootElement;
    }

    private Task<ClientRun> BufCurl(IEnumerable<string> arguments) =>
        ClientProcess.RunAsync(RepoPaths.Buf, ["curl", "--protocol", "grpc", "--http2-prior-knowledge", .. arguments]);

    private string Method(string method) => new Uri(server.GrpcUrl, method).ToString();

    private static string[] Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
