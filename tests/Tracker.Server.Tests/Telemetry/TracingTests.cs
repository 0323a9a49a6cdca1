using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Telemetry;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.Telemetry;

/// <summary>
/// Traces through the host's OpenTelemetry pipeline (AddTrackerTelemetry): a request's server span
/// continues the caller's trace (traceparent), and the store call is a client span beneath it, on
/// gRPC and REST. Each test sends a trace id of its own and looks only at that trace, since
/// activity sources are shared by every host in the process.
/// </summary>
public sealed class TracingTests : IAsyncLifetime
{
    private readonly SpanCollector _spans = new();
    private readonly TrackerFactory _factory;

    public TracingTests()
    {
        _factory = new TrackerFactory { TestServices = services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(_spans)) };
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task CreateEvent_GrpcCallWithTraceparent_StoreSpanIsAChildOfTheRequestSpan()
    {
        var (traceId, callerSpan, traceparent) = NewTraceparent();

        await _factory.CreateGrpcClient().CreateEventAsync(TestEvents.Deployment(), new Metadata { { "traceparent", traceparent } }).Bounded();

        var request = await _spans.ServerSpanAsync(traceId);
        Assert.Equal(callerSpan, request.ParentSpanId);
        // The instrumentation's gRPC attributes (RPC semantic conventions v1.41).
        Assert.Equal("grpc", request.GetTagItem("rpc.system.name"));
        Assert.Equal("tracker.event.v1alpha1.EventService/CreateEvent", request.GetTagItem("rpc.method"));
        Assert.Equal("OK", request.GetTagItem("rpc.response.status_code"));
        var store = Assert.Single(_spans.Of(traceId), span => span.Source.Name == StoreTelemetry.ActivitySourceName);
        AssertStoreSpan(store, request, "create");
    }

    [Fact]
    public async Task CreateEvent_RestCallWithTraceparent_StoreSpanIsAChildOfTheRequestSpan()
    {
        var (traceId, callerSpan, traceparent) = NewTraceparent();
        using var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Add("traceparent", traceparent);

        (await client.PostRestAsync("/api/v1alpha1/event", """{"title":"Deploy","attributes":{"type":"TYPE_DEPLOYMENT","service":"api"}}""")).Expect(System.Net.HttpStatusCode.OK);

        var request = await _spans.ServerSpanAsync(traceId);
        Assert.Equal(callerSpan, request.ParentSpanId);
        Assert.Equal("POST", request.GetTagItem("http.request.method"));
        var store = Assert.Single(_spans.Of(traceId), span => span.Source.Name == StoreTelemetry.ActivitySourceName);
        AssertStoreSpan(store, request, "create");
    }

    [Fact]
    public async Task GetEvent_Traced_StoreSpanNamedAfterTheOperation()
    {
        var created = await _factory.CreateGrpcClient().CreateEventAsync(TestEvents.Deployment()).Bounded();
        var (traceId, _, traceparent) = NewTraceparent();

        await _factory.CreateGrpcClient().GetEventAsync(new GetEventRequest { Id = created.Id }, new Metadata { { "traceparent", traceparent } }).Bounded();

        var request = await _spans.ServerSpanAsync(traceId);
        var store = Assert.Single(_spans.Of(traceId), span => span.Source.Name == StoreTelemetry.ActivitySourceName);
        AssertStoreSpan(store, request, "get");
    }

    private static void AssertStoreSpan(Activity store, Activity request, string operation)
    {
        Assert.Equal(request.SpanId, store.ParentSpanId);
        Assert.Equal(ActivityKind.Client, store.Kind);
        Assert.Equal($"{operation} events", store.DisplayName);
        Assert.Equal("sqlite", store.GetTagItem("db.system.name"));
        Assert.Equal(operation, store.GetTagItem("db.operation.name"));
        Assert.Equal("events", store.GetTagItem("db.collection.name"));
        Assert.Equal(ActivityStatusCode.Unset, store.Status);
    }

    private static (ActivityTraceId TraceId, ActivitySpanId CallerSpan, string Traceparent) NewTraceparent()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var spanId = ActivitySpanId.CreateRandom();
        return (traceId, spanId, $"00-{traceId}-{spanId}-01");
    }

    /// <summary>The spans the host's tracer provider ended, as its exporters would get them.</summary>
    private sealed class SpanCollector : BaseProcessor<Activity>
    {
        private readonly ConcurrentQueue<Activity> _ended = new();

        public override void OnEnd(Activity data) => _ended.Enqueue(data);

        public IReadOnlyList<Activity> Of(ActivityTraceId traceId) => _ended.Where(span => span.TraceId == traceId).ToList();

        /// <summary>The request's server span, ended after every span beneath it.</summary>
        public async Task<Activity> ServerSpanAsync(ActivityTraceId traceId)
        {
            await TestTimeout.UntilAsync(() => Of(traceId).Any(span => span.Kind == ActivityKind.Server));
            return Of(traceId).Single(span => span.Kind == ActivityKind.Server);
        }
    }
}
