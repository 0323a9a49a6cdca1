using System.Net;
using System.Text;
using System.Text.Json;
using Tracker.Api.V1Alpha1;
using Tracker.Testing;

namespace Tracker.Interop.Tests;

/// <summary>
/// GET /metrics of the real server, scraped and parsed by the Prometheus client library's own
/// parser (Debian's python3-prometheus-client, tests/interop/scrape_metrics.py), before and after
/// creates over REST and gRPC: Tracker's counter moves by exactly the creates made, with their
/// labels, and the watchers gauge, the watch lag histogram and the store, ASP.NET Core, Kestrel
/// and runtime metrics are there. The server is one of its own, so no other test's calls move its counters; it also
/// writes its console log as JSON (Logging__Console__FormatterName=json).
/// </summary>
public sealed class PrometheusScrapeTests(PrometheusScrapeTests.JsonLoggingServer server) : IClassFixture<PrometheusScrapeTests.JsonLoggingServer>
{
    private const string Python = "/usr/bin/python3";
    private const string Listed = "scrape-listed";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Metrics_CreatesOverRestAndGrpc_RecordedCounterMovesByExactlyThoseCreatesWithTheirLabels()
    {
        var before = await ScrapeAsync();

        for (var i = 0; i < 3; i++)
        {
            await CreateOverRestAsync(Listed);
        }

        for (var i = 0; i < 2; i++)
        {
            await CreateOverGrpcAsync("not-listed");
        }

        var after = await ScrapeAsync();
        var listed = new Dictionary<string, string>
        {
            ["tracker_event_type"] = "deployment",
            ["tracker_event_severity"] = "warning",
            ["tracker_event_environment"] = "production",
            ["tracker_event_service"] = Listed,
            ["tracker_event_outcome"] = "created",
        };
        var other = new Dictionary<string, string>
        {
            ["tracker_event_type"] = "incident",
            ["tracker_event_severity"] = "alert",
            ["tracker_event_environment"] = "uat",
            ["tracker_event_service"] = "other",
            ["tracker_event_outcome"] = "created",
        };
        Assert.Equal("counter", after.Type("tracker_events_recorded"));
        Assert.Equal(3, after.Sum("tracker_events_recorded_total", listed) - before.Sum("tracker_events_recorded_total", listed));
        Assert.Equal(2, after.Sum("tracker_events_recorded_total", other) - before.Sum("tracker_events_recorded_total", other));
        Assert.Equal(5, after.Sum("tracker_events_recorded_total", []) - before.Sum("tracker_events_recorded_total", []));
    }

    [Fact]
    public async Task Metrics_AfterACreate_StoreLatencyHistogramAndFrameworkMetricsArePresent()
    {
        await CreateOverRestAsync(Listed);

        var scrape = await ScrapeAsync();

        Assert.StartsWith("text/plain", scrape.ContentType, StringComparison.Ordinal);
        Assert.Equal("histogram", scrape.Type("db_client_operation_duration_seconds"));
        var create = new Dictionary<string, string> { ["db_system_name"] = "sqlite", ["db_operation_name"] = "create", ["db_collection_name"] = "events" };
        Assert.True(scrape.Sum("db_client_operation_duration_seconds_count", create) >= 1, scrape.Names());
        Assert.Contains(scrape.Samples("db_client_operation_duration_seconds_bucket", create), s => s.Labels["le"] == "+Inf");
        Assert.Equal("gauge", scrape.Type("tracker_watch_watchers"));
        Assert.Equal(0, scrape.Sum("tracker_watch_watchers", []));
        Assert.Equal("histogram", scrape.Type("http_server_request_duration_seconds"));
        Assert.Contains(scrape.Samples("http_server_request_duration_seconds_count", []), s => s.Labels.GetValueOrDefault("http_route") == "/api/v1alpha1/event");
        Assert.Contains(scrape.Families, f => f.StartsWith("kestrel_", StringComparison.Ordinal));
        Assert.Contains(scrape.Families, f => f.StartsWith("dotnet_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_AfterAWatchReceivedALiveChange_WatchLagHistogramParsesWithItsBuckets()
    {
        const string service = "scrape-watched";
        using var http = new HttpClient { BaseAddress = server.Process.HttpAddress, Timeout = Timeout.InfiniteTimeSpan };
        using (var watch = await http.GetAsync($"/api/v1alpha1/events:watch?filter={Uri.EscapeDataString($"service=\"{service}\"")}", HttpCompletionOption.ResponseHeadersRead).WaitAsync(Limit))
        {
            using var reader = new StreamReader(await watch.Content.ReadAsStreamAsync());

            // A change that comes while the watch still replays the log is not measured: another
            // change follows until one came live (the replay ends within milliseconds).
            var scrape = await ScrapeAsync();
            for (var i = 0; i < 20 && scrape.Sum("tracker_watch_lag_seconds_count", []) == 0; i++)
            {
                await CreateOverRestAsync(service);
                Assert.NotNull(await reader.ReadLineAsync().WaitAsync(Limit));
                scrape = await ScrapeAsync();
            }

            Assert.Equal("histogram", scrape.Type("tracker_watch_lag_seconds"));
            var sqlite = new Dictionary<string, string> { ["db_system_name"] = "sqlite" };
            Assert.True(scrape.Sum("tracker_watch_lag_seconds_count", sqlite) >= 1, scrape.Names());
            var bounds = scrape.Samples("tracker_watch_lag_seconds_bucket", sqlite).Select(b => b.Labels["le"]).ToList();
            Assert.Contains("0.05", bounds);
            Assert.Contains("+Inf", bounds);
        }

        // The watchers gauge is back to 0 for the other tests of this server.
        var deadline = DateTime.UtcNow + Limit;
        while ((await ScrapeAsync()).Sum("tracker_watch_watchers", []) != 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task ConsoleLog_FormatterNameJson_EveryLineIsAJsonObject()
    {
        await CreateOverRestAsync(Listed);

        var lines = server.Process.Output.Split(System.Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var entry = JsonDocument.Parse(line);
            Assert.True(entry.RootElement.TryGetProperty("LogLevel", out _), line);
            Assert.True(entry.RootElement.TryGetProperty("Category", out _), line);
            Assert.True(entry.RootElement.TryGetProperty("Message", out _), line);
        }

        Assert.Contains(lines, line => line.Contains("\"Category\":\"Microsoft.Hosting.Lifetime\"", StringComparison.Ordinal));
    }

    private async Task CreateOverRestAsync(string service)
    {
        using var http = new HttpClient { BaseAddress = server.Process.HttpAddress, Timeout = Limit };
        var body = $$$"""{"title":"Deploy api","attributes":{"type":"TYPE_DEPLOYMENT","service":"{{{service}}}","severity":"SEVERITY_WARNING","environment":"ENVIRONMENT_PRODUCTION"}}""";
        using var response = await http.PostAsync("/api/v1alpha1/event", new StringContent(body, Encoding.UTF8, "application/json")).WaitAsync(Limit);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task CreateOverGrpcAsync(string service)
    {
        using var client = new GrpcTestClient(server.Process.GrpcAddress);
        var request = new CreateEventRequest
        {
            Title = "Disk full on db-1",
            Attributes = new EventAttributes
            {
                Type = Api.V1Alpha1.Type.Incident,
                Service = service,
                Severity = Severity.Alert,
                Environment = Api.V1Alpha1.Environment.Uat,
            },
        };
        var result = await client.CallAsync("/tracker.event.v1alpha1.EventService/CreateEvent", request).WaitAsync(Limit);
        Assert.True(result.Status == 0, $"grpc-status {result.Status}: {result.Message}");
    }

    private async Task<Scrape> ScrapeAsync()
    {
        var run = await ClientProcess.RunAsync(Python, [Path.Combine(RepoPaths.Interop, "scrape_metrics.py"), new Uri(server.Process.HttpAddress, "/metrics").ToString()]);
        Assert.True(run.ExitCode == 0, run.ToString());
        return new Scrape(JsonDocument.Parse(run.Output).RootElement.Clone());
    }

    /// <summary>What scrape_metrics.py printed: the content type and the parsed families.</summary>
    private sealed class Scrape(JsonElement root)
    {
        public string ContentType => root.GetProperty("content_type").GetString()!;

        public IEnumerable<string> Families => root.GetProperty("families").EnumerateObject().Select(f => f.Name);

        public string? Type(string family) =>
            root.GetProperty("families").TryGetProperty(family, out var f) ? f.GetProperty("type").GetString() : null;

        /// <summary>The samples named <paramref name="name"/> whose labels include all of <paramref name="labels"/>.</summary>
        public IReadOnlyList<Sample> Samples(string name, Dictionary<string, string> labels) =>
            root.GetProperty("families").EnumerateObject()
                .SelectMany(f => f.Value.GetProperty("samples").EnumerateArray())
                .Select(s => new Sample(
                    s.GetProperty("name").GetString()!,
                    s.GetProperty("labels").EnumerateObject().ToDictionary(l => l.Name, l => l.Value.GetString()!),
                    s.GetProperty("value").GetDouble()))
                .Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Key) == l.Value))
                .ToList();

        public double Sum(string name, Dictionary<string, string> labels) => Samples(name, labels).Sum(s => s.Value);

        public string Names() => string.Join(", ", Families);
    }

    private sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    /// <summary>A Tracker server of these tests' own, listing one service for the metrics and logging JSON to the console.</summary>
    public sealed class JsonLoggingServer : IAsyncLifetime
    {
        private TrackerSettings? _settings;
        private TrackerProcess? _process;

        public TrackerProcess Process => _process!;

        public async Task InitializeAsync()
        {
            _settings = TrackerSettings.Sqlite();
            _settings.Environment["Telemetry__EventAttributes__Services__0"] = Listed;
            _settings.Environment["Logging__Console__FormatterName"] = "json";
            _settings.Environment["Logging__LogLevel__Default"] = "Information";
            _process = await TrackerProcess.StartAsync(_settings).WaitAsync(TimeSpan.FromSeconds(90));
        }

        public async Task DisposeAsync()
        {
            if (_process is not null)
            {
                await _process.DisposeAsync().AsTask().WaitAsync(Limit);
            }

            if (_settings is not null)
            {
                Directory.Delete(_settings.DataDirectory, recursive: true);
            }
        }
    }
}
