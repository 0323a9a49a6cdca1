using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
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
    private readonly ConcurrentQueue<Activity> _ended = new();
    private readonly PostgresHost _host;

    public PostgresTracingTests()
    {
        _host = new PostgresHost(new TrackerFactory { TestServices = services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(new Collector(_ended))) });
    }

    private WebApplicationFactory<Program> Factory => _host.Factory;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("create")]
    [InlineData("get")]
    public async Task StoreCall_OnPostgres_NpgsqlCommandSpansBeneathTheStoreSpanBeneathTheRequest(string operation)
    {
        var client = new EventService.EventServiceClient(Grpc.Net.Client.GrpcChannel.ForAddress(Factory.Server.BaseAddress, new() { HttpHandler = Factory.Server.CreateHandler() }));
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
