using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Hosting;
using Tracker.Events.Sqlite;
using Tracker.Events.Storage;
using Tracker.Events.Telemetry;
using Tracker.Events.Tests.Support;
using Tracker.Testing;
using Xunit;
using static Tracker.Events.Tests.Service.ServiceHarness;

namespace Tracker.Events.Tests.Telemetry;

/// <summary>
/// What the store decorator measures, through EventRpcService over a real SQLite store on a fake
/// clock: tracker.events.recorded per create that stored something, and db.client.operation.duration
/// per store call.
/// </summary>
public sealed class InstrumentedEventStoreTests : IAsyncLifetime, IDisposable
{
    private const string Recorded = "tracker.events.recorded";
    private const string Duration = "db.client.operation.duration";

    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly TempSqliteDatabase _database = new();
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly InstrumentRecorder _recorder;
    private SqliteEventStore? _sqlite;

    public InstrumentedEventStoreTests()
    {
        _recorder = new InstrumentRecorder(MeterFactory, Recorded, Duration);
    }

    private IMeterFactory MeterFactory => _meters.GetRequiredService<IMeterFactory>();

    public async Task InitializeAsync()
    {
        _sqlite = new SqliteEventStore(_database.ConnectionString);
        await _sqlite.MigrateAsync(CancellationToken.None).Bounded();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _recorder.Dispose();
        _sqlite?.Dispose();
        _database.Dispose();
        _meters.Dispose();
    }

    [Fact]
    public async Task CreateEvent_NewEvent_CountsOneCreatedWithTypeSeverityAndEnvironment()
    {
        var service = Service(Store());

        await service.CreateEvent(ValidRequest(r =>
        {
            r.Attributes.Severity = Severity.Warning;
            r.Attributes.Environment = Api.V1Alpha1.Environment.Uat;
        }), Context()).Bounded();

        var counted = Assert.Single(_recorder.Of(Recorded));
        Assert.Equal(1, counted.Value);
        Assert.Equal("deployment", counted.Tag("tracker.event.type"));
        Assert.Equal("warning", counted.Tag("tracker.event.severity"));
        Assert.Equal("uat", counted.Tag("tracker.event.environment"));
        Assert.Equal("created", counted.Tag("tracker.event.outcome"));
        Assert.False(counted.Tags.ContainsKey("tracker.event.service"));
        Assert.False(counted.Tags.ContainsKey("tracker.event.reason"));
    }

    [Fact]
    public async Task CreateEvent_RepeatOfAKeyWithinTheWindow_CountsFolded()
    {
        var service = Service(Store());

        await service.CreateEvent(ValidRequest(r => r.AggregationKey = "disk-full@db-1"), Context()).Bounded();
        _clock.Advance(TimeSpan.FromSeconds(5));
        await service.CreateEvent(ValidRequest(r => r.AggregationKey = "disk-full@db-1"), Context()).Bounded();

        Assert.Equal(["created", "folded"], _recorder.Of(Recorded).Select(m => m.Tag("tracker.event.outcome")));
    }

    [Fact]
    public async Task CreateEvent_RequestIdUsedBefore_CountsNothingMore()
    {
        var service = Service(Store());

        await service.CreateEvent(ValidRequest(r => r.RequestId = "retry-1"), Context()).Bounded();
        await service.CreateEvent(ValidRequest(r => r.RequestId = "retry-1"), Context()).Bounded();
        await service.CreateEvent(ValidRequest(r => { r.RequestId = "retry-2"; r.AggregationKey = "k"; }), Context()).Bounded();
        await service.CreateEvent(ValidRequest(r => { r.RequestId = "retry-2"; r.AggregationKey = "k"; }), Context()).Bounded();

        Assert.Equal(2, _recorder.Sum(Recorded, ("tracker.event.outcome", "created")));
        Assert.Equal(0, _recorder.Sum(Recorded, ("tracker.event.outcome", "folded")));
    }

    [Fact]
    public async Task CreateEvent_ServicesAndReasonsListed_ReportsListedValuesAndOtherForTheRest()
    {
        var service = Service(Store(new EventAttributeOptions { Services = ["payments"], Reasons = ["BackOff"] }));

        await service.CreateEvent(ValidRequest(r => { r.Attributes.Service = "payments"; r.Attributes.Reason = "BackOff"; }), Context()).Bounded();
        await service.CreateEvent(ValidRequest(r => { r.Attributes.Service = "checkout"; r.Attributes.Reason = "OOMKilled"; }), Context()).Bounded();
        await service.CreateEvent(ValidRequest(r => r.Attributes.Service = "Payments"), Context()).Bounded();

        Assert.Equal(
            ["payments/BackOff", "other/other", "other/other"],
            _recorder.Of(Recorded).Select(m => $"{m.Tag("tracker.event.service")}/{m.Tag("tracker.event.reason")}"));
    }

    [Fact]
    public async Task CreateAsync_Always_RecordsTheDurationWithTheDatabaseConventionsAttributes()
    {
        var service = Service(Store());

        await service.CreateEvent(ValidRequest(), Context()).Bounded();

        var measured = Assert.Single(_recorder.Of(Duration, ("db.operation.name", "create")));
        Assert.InRange(measured.Value, 0, 30);
        Assert.Equal("sqlite", measured.Tag("db.system.name"));
        Assert.Equal("events", measured.Tag("db.collection.name"));
        Assert.False(measured.Tags.ContainsKey("error.type"));
    }

    [Fact]
    public async Task GetAsync_StoreFails_RecordsTheErrorTypeAndRethrows()
    {
        // Mode=ReadWrite opens only an existing file, and there is none.
        using var unreachable = new SqliteEventStore($"Data Source={Path.Combine(_database.Directory, "missing.db")};Mode=ReadWrite");
        var store = new InstrumentedEventStore(unreachable, StoreTelemetry.Sqlite, new StoreTelemetry(MeterFactory), Metrics());

        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => store.GetAsync("id", CancellationToken.None).Bounded());

        var measured = Assert.Single(_recorder.Of(Duration, ("db.operation.name", "get")));
        Assert.Equal(thrown.GetType().FullName, measured.Tag("error.type"));
    }

    private InstrumentedEventStore Store(EventAttributeOptions? options = null) =>
        new(_sqlite!, StoreTelemetry.Sqlite, new StoreTelemetry(MeterFactory), Metrics(options));

    private EventMetrics Metrics(EventAttributeOptions? options = null) =>
        new(MeterFactory, Options.Create(options ?? new EventAttributeOptions()));

    private EventRpcService Service(IEventStore store) =>
        new(store, TestWatches.For(store), _clock, Options.Create(new TrackerOptions()), NullLogger<EventRpcService>.Instance);
}
