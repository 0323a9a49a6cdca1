using System.Diagnostics.Metrics;
using System.Net;
using Grpc.Core;
using Grpc.Net.Client.Web;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Telemetry;
using Tracker.Events.Watching;
using Tracker.Server.Tests.Support;
using Tracker.Testing;

namespace Tracker.Server.Tests.Telemetry;

/// <summary>
/// Tracker's own metrics through the whole host: what creates and watches measure (read from this
/// host's meters only), and GET /metrics serving them in Prometheus text format without credentials.
/// The Prometheus text is parsed by a real parser in the interop tests (PrometheusScrapeTests).
/// </summary>
public sealed class MetricsTests : IAsyncLifetime
{
    private const string Recorded = "tracker.events.recorded";
    private const string Duration = "db.client.operation.duration";
    private const string Watchers = "tracker.watch.watchers";
    private const string RequestDuration = "http.server.request.duration";
    private const string WatchLag = DeliveryMetrics.WatchLagName;

    private readonly string _listed = TestEvents.UniqueService();
    private readonly TrackerFactory _factory;
    private InstrumentRecorder? _recorder;

    public MetricsTests()
    {
        _factory = new TrackerFactory { TestServices = services => services.Configure<EventAttributeOptions>(o => o.Services.Add(_listed)) };
    }

    private InstrumentRecorder Recorder => _recorder!;

    public Task InitializeAsync()
    {
        _recorder = new InstrumentRecorder(_factory.Services.GetRequiredService<IMeterFactory>(), Recorded, Duration, Watchers, RequestDuration, WatchLag);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _recorder?.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task CreateEvent_ListedAndOtherServices_CountedByTypeSeverityEnvironmentAndService()
    {
        var client = _factory.CreateGrpcClient();

        await client.CreateEventAsync(TestEvents.Deployment(_listed)).Bounded();
        await client.CreateEventAsync(TestEvents.Deployment(_listed)).Bounded();
        await client.CreateEventAsync(TestEvents.Deployment()).Bounded();

        var production = ("tracker.event.environment", "production");
        var deployment = ("tracker.event.type", "deployment");
        Assert.Equal(2, Recorder.Sum(Recorded, ("tracker.event.service", _listed), deployment, production, ("tracker.event.outcome", "created")));
        Assert.Equal(1, Recorder.Sum(Recorded, ("tracker.event.service", "other"), deployment, production));
        Assert.All(Recorder.Of(Recorded), m => Assert.Equal("unspecified", m.Tag("tracker.event.severity")));
    }

    [Fact]
    public async Task CreateEvent_Always_StoreDurationRecordedForSqlite()
    {
        await _factory.CreateGrpcClient().CreateEventAsync(TestEvents.Deployment()).Bounded();

        var create = Assert.Single(Recorder.Of(Duration, ("db.operation.name", "create")));
        Assert.Equal("sqlite", create.Tag("db.system.name"));
    }

    [Fact]
    public async Task WatchEvents_WatchStartsThenIsCancelled_WatchersGoUpThenBackDown()
    {
        Assert.Equal(0, Recorder.Observe(Watchers));
        var client = _factory.CreateGrpcClient();
        using (var cancel = new CancellationTokenSource())
        {
            using var watch = client.WatchEvents(new WatchEventsRequest { Filter = $"service=\"{TestEvents.UniqueService()}\"" }, cancellationToken: cancel.Token);
            await watch.ResponseHeadersAsync.Bounded();
            await TestTimeout.UntilAsync(() => Recorder.Observe(Watchers) == 1);
            await cancel.CancelAsync();
        }

        await TestTimeout.UntilAsync(() => Recorder.Observe(Watchers) == 0);
    }

    [Fact]
    public async Task WatchEvents_LiveChange_WatchLagRecordedOnceTaggedWithTheStore()
    {
        var service = TestEvents.UniqueService();
        using var watch = await WatchLiveAsync(new WatchEventsRequest { Filter = $"service=\"{service}\"" });

        await _factory.CreateGrpcClient().CreateEventAsync(TestEvents.Deployment(service)).Bounded();
        Assert.True(await watch.ResponseStream.MoveNext().Bounded());

        // Measured once the write has completed, which may be just after the client has the message.
        await TestTimeout.UntilAsync(() => Recorder.Of(WatchLag).Count > 0);
        var lag = Assert.Single(Recorder.Of(WatchLag));
        Assert.Equal("sqlite", lag.Tag("db.system.name"));
        Assert.InRange(lag.Value, 0, TestTimeout.Default.TotalSeconds);
    }

    [Fact]
    public async Task WatchEvents_OverRestLiveChange_WatchLagRecordedOnce()
    {
        var service = TestEvents.UniqueService();
        var filter = Uri.EscapeDataString($"service=\"{service}\"");
        using var response = await _factory.CreateClient().GetAsync($"/api/v1alpha1/events:watch?filter={filter}", HttpCompletionOption.ResponseHeadersRead).Bounded();
        var feed = _factory.Services.GetRequiredService<ChangeFeed>();
        await TestTimeout.UntilAsync(() => feed.WatcherCount == 1);

        await _factory.CreateGrpcClient().CreateEventAsync(TestEvents.Deployment(service)).Bounded();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.NotNull(await reader.ReadLineAsync().Bounded());

        await TestTimeout.UntilAsync(() => Recorder.Of(WatchLag).Count > 0);
        Assert.Equal("sqlite", Assert.Single(Recorder.Of(WatchLag)).Tag("db.system.name"));
    }

    [Fact]
    public async Task WatchEvents_InitialEventsThenALiveChange_OnlyTheLiveChangeMeasured()
    {
        var service = TestEvents.UniqueService();
        var client = _factory.CreateGrpcClient();
        await client.CreateEventAsync(TestEvents.Deployment(service)).Bounded();
        await client.CreateEventAsync(TestEvents.Deployment(service)).Bounded();
        using var watch = await WatchLiveAsync(new WatchEventsRequest { Filter = $"service=\"{service}\"", SendInitialEvents = true });
        Assert.True(await watch.ResponseStream.MoveNext().Bounded());
        Assert.True(await watch.ResponseStream.MoveNext().Bounded());
        Assert.True(watch.ResponseStream.Current.Initial);

        await client.CreateEventAsync(TestEvents.Deployment(service)).Bounded();
        Assert.True(await watch.ResponseStream.MoveNext().Bounded());
        Assert.False(watch.ResponseStream.Current.Initial);

        // The initial events were written before the live change, so they would be recorded by now.
        await TestTimeout.UntilAsync(() => Recorder.Of(WatchLag).Count > 0);
        Assert.Single(Recorder.Of(WatchLag));
    }

    [Fact]
    public async Task RequestDuration_GrpcAndGrpcWebCalls_TaggedWithTheGrpcStatusName()
    {
        var missing = new GetEventRequest { Id = "no-such-event" };

        await _factory.CreateGrpcClient().ListEventsAsync(new ListEventsRequest()).Bounded();
        await Assert.ThrowsAsync<RpcException>(() => _factory.CreateGrpcClient().GetEventAsync(missing).Bounded());
        await _factory.CreateGrpcWebClient(GrpcWebMode.GrpcWeb).ListEventsAsync(new ListEventsRequest()).Bounded();
        await Assert.ThrowsAsync<RpcException>(() => _factory.CreateGrpcWebClient(GrpcWebMode.GrpcWebText).GetEventAsync(missing).Bounded());

        // The host records a request's duration as it ends, which may be just after the client has its answer.
        const string list = "/tracker.event.v1alpha1.EventService/ListEvents";
        const string get = "/tracker.event.v1alpha1.EventService/GetEvent";
        await TestTimeout.UntilAsync(() => Recorder.Of(RequestDuration, ("http.route", list)).Count == 2 && Recorder.Of(RequestDuration, ("http.route", get)).Count == 2);
        Assert.All(Recorder.Of(RequestDuration, ("http.route", list)), m => Assert.Equal("OK", m.Tag("rpc.response.status_code")));
        Assert.All(Recorder.Of(RequestDuration, ("http.route", get)), m => Assert.Equal("NOT_FOUND", m.Tag("rpc.response.status_code")));
    }

    [Fact]
    public async Task Metrics_GetWithoutCredentials_PrometheusTextWithTrackerMetrics()
    {
        await _factory.CreateGrpcClient().CreateEventAsync(TestEvents.Deployment(_listed)).Bounded();

        using var response = await _factory.CreateClient().GetAsync("/metrics").Bounded();
        var text = await response.Content.ReadAsStringAsync().Bounded();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("# TYPE tracker_events_recorded_total counter", text, StringComparison.Ordinal);
        Assert.Contains($"tracker_event_service=\"{_listed}\"", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE db_client_operation_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("tracker_watch_watchers{", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_AfterAWatchReceivedAChange_ServesTheWatchLagHistogramWithItsBuckets()
    {
        var service = TestEvents.UniqueService();
        using var watch = await WatchLiveAsync(new WatchEventsRequest { Filter = $"service=\"{service}\"" });
        await _factory.CreateGrpcClient().CreateEventAsync(TestEvents.Deployment(service)).Bounded();
        Assert.True(await watch.ResponseStream.MoveNext().Bounded());
        await TestTimeout.UntilAsync(() => Recorder.Of(WatchLag).Count > 0);

        using var response = await _factory.CreateClient().GetAsync("/metrics").Bounded();
        var text = await response.Content.ReadAsStringAsync().Bounded();

        Assert.Contains("# TYPE tracker_watch_lag_seconds histogram", text, StringComparison.Ordinal);
        var series = text.Split('\n').Where(line => line.StartsWith("tracker_watch_lag_seconds", StringComparison.Ordinal)).ToList();
        // At least this watch's message: the exporter also sees the same meters of other hosts in this process.
        var count = Assert.Single(series, line => line.StartsWith("tracker_watch_lag_seconds_count{", StringComparison.Ordinal) && line.Contains("db_system_name=\"sqlite\"", StringComparison.Ordinal));
        Assert.True(double.Parse(count[(count.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture) >= 1, count);

        // The buckets step finely around the watch's 50 ms target.
        Assert.Contains(series, line => line.StartsWith("tracker_watch_lag_seconds_bucket{", StringComparison.Ordinal) && line.Contains("le=\"0.04\"", StringComparison.Ordinal));
        Assert.Contains(series, line => line.StartsWith("tracker_watch_lag_seconds_bucket{", StringComparison.Ordinal) && line.Contains("le=\"0.05\"", StringComparison.Ordinal));
    }

    /// <summary>A watch that has caught up and takes changes live from the feed (this host's only watcher).</summary>
    private async Task<AsyncServerStreamingCall<WatchEventsResponse>> WatchLiveAsync(WatchEventsRequest request)
    {
        var watch = _factory.CreateGrpcClient().WatchEvents(request);
        await watch.ResponseHeadersAsync.Bounded();
        var feed = _factory.Services.GetRequiredService<ChangeFeed>();
        await TestTimeout.UntilAsync(() => feed.WatcherCount == 1);
        return watch;
    }
}
