using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Telemetry;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.Telemetry;

/// <summary>
/// Traces on the PostgreSQL store: Npgsql's command spans (Npgsql.OpenTelemetry) beneath the store
/// call's span, beneath the request's. On the test server of TRACKER_TEST_POSTGRES (default
/// Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres), in a schema of its own.
/// </summary>
public sealed class PostgresTracingTests : IAsyncLifetime
{
    private const string DefaultConnectionString = "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres";

    private readonly string _schema = "t_" + Guid.NewGuid().ToString("N")[..16];
    private readonly ConcurrentQueue<Activity> _ended = new();
    private readonly TrackerFactory _sqlite;
    private readonly WebApplicationFactory<Program> _factory;

    public PostgresTracingTests()
    {
        _sqlite = new TrackerFactory { TestServices = services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(new Collector(_ended))) };
        _factory = _sqlite.WithWebHostBuilder(builder => builder
            .UseSetting("Storage:Provider", "Postgres")
            .UseSetting("ConnectionStrings:Postgres", new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = _schema }.ConnectionString));
    }

    private static string ConnectionString =>
        System.Environment.GetEnvironmentVariable("TRACKER_TEST_POSTGRES") is { Length: > 0 } given ? given : DefaultConnectionString;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _sqlite.DisposeAsync();
        await using var admin = NpgsqlDataSource.Create(ConnectionString);
        await using var drop = admin.CreateCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE");
        await drop.ExecuteNonQueryAsync().Bounded();
    }

    [Theory]
    [InlineData("create")]
    [InlineData("get")]
    public async Task StoreCall_OnPostgres_NpgsqlCommandSpansBeneathTheStoreSpanBeneathTheRequest(string operation)
    {
        var client = new EventService.EventServiceClient(Grpc.Net.Client.GrpcChannel.ForAddress(_factory.Server.BaseAddress, new() { HttpHandler = _factory.Server.CreateHandler() }));
        var traceId = ActivityTraceId.CreateRandom();
        var traced = new Metadata { { "traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01" } };

        if (operation == "create")
        {
            await client.CreateEventAsync(TestEvents.Deployment(), traced).Bounded();
        }
        else
        {
            var created = await client.CreateEventAsync(TestEvents.Deployment()).Bounded();
            await client.GetEventAsync(new GetEventRequest { Id = created.Id }, traced).Bounded();
        }

        await TestTimeout.UntilAsync(() => Of(traceId).Any(span => span.Kind == ActivityKind.Server));
        var spans = Of(traceId);
        var request = spans.Single(span => span.Kind == ActivityKind.Server);
        var store = spans.Single(span => span.Source.Name == StoreTelemetry.ActivitySourceName);
        Assert.Equal(request.SpanId, store.ParentSpanId);
        Assert.Equal("postgresql", store.GetTagItem("db.system.name"));
        Assert.Equal(operation, store.GetTagItem("db.operation.name"));
        var commands = spans.Where(span => span.Source.Name == "Npgsql").ToList();
        Assert.NotEmpty(commands);
        Assert.All(commands, command => Assert.Equal(store.SpanId, command.ParentSpanId));
    }

    private List<Activity> Of(ActivityTraceId traceId) => _ended.Where(span => span.TraceId == traceId).ToList();

    private sealed class Collector(ConcurrentQueue<Activity> ended) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data) => ended.Enqueue(data);
    }
}
