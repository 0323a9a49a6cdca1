using System.Diagnostics.Metrics;
using System.Net;
using Grpc.Core;
using Grpc.Net.Client.Web;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Telemetry;
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
        _recorder = new InstrumentRecorder(_factory.Services.GetRequiredService<IMeterFactory>(), Recorded, Duration, Watchers, RequestDuration);
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
}
