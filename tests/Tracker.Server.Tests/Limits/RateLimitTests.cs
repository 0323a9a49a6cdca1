using System.Net;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client.Configuration;
using Grpc.Net.Client.Web;
using Tracker.Api.V1Alpha1;
using Tracker.Server.Tests.Auth;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.Limits;

/// <summary>
/// The per-caller token bucket and the global concurrency limit (README, "Limits"), counted in codes, not
/// time: the bucket refills one token every 1,000 s here, so a test sees exactly its burst.
/// </summary>
public sealed class RateLimitTests
{
    private static readonly Dictionary<string, string?> BurstOfThree = new()
    {
        ["Limits:PerCaller:PermitsPerSecond"] = "0.001",
        ["Limits:PerCaller:Burst"] = "3",
    };

    [Fact]
    public async Task ListEvents_PastTheCallersBurst_ResourceExhaustedWithRetryInfoOnEveryTransport()
    {
        await using var factory = new TrackerFactory { Settings = BurstOfThree };
        var grpc = factory.CreateGrpcClient();

        var codes = new List<StatusCode>();
        for (var i = 0; i < 3; i++)
        {
            codes.Add(await CodeOfAsync(grpc.ListEventsAsync(new ListEventsRequest())));
        }

        var refused = await Assert.ThrowsAsync<RpcException>(() => grpc.ListEventsAsync(new ListEventsRequest()).Bounded());
        var refusedWeb = await Assert.ThrowsAsync<RpcException>(() => factory.CreateGrpcWebClient(GrpcWebMode.GrpcWeb).ListEventsAsync(new ListEventsRequest()).Bounded());
        using var rest = await factory.CreateClient().GetAsync("/api/v1alpha1/events/list").Bounded();
        var restBody = await rest.Content.ReadAsStringAsync().Bounded();
        using var health = await factory.CreateClient().GetAsync("/healthz").Bounded();

        Assert.Equal([StatusCode.OK, StatusCode.OK, StatusCode.OK], codes);
        foreach (var e in new[] { refused, refusedWeb })
        {
            Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
            var status = e.GetRpcStatus();
            Assert.NotNull(status);
            var retry = status.GetDetail<RetryInfo>();
            Assert.NotNull(retry);
            Assert.True(retry.RetryDelay.ToTimeSpan() > TimeSpan.Zero);
            Assert.Equal("RATE_LIMITED", status.GetDetail<ErrorInfo>()?.Reason);
            Assert.Contains("Limits:PerCaller", e.Status.Detail, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, rest.StatusCode);
        Assert.True(int.Parse(rest.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal(8, System.Text.Json.JsonDocument.Parse(restBody).RootElement.GetProperty("code").GetInt32());
        Assert.Contains("google.rpc.RetryInfo", restBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task ListEvents_OneKeyExhausted_AnotherKeyHasItsOwnBucket()
    {
        await using var tracker = new SecuredTracker(BurstOfThree);
        var client = tracker.Factory.CreateGrpcClient();
        var reader = new Metadata { { "authorization", "Bearer " + SecuredTracker.ReaderKey } };
        var admin = new Metadata { { "authorization", "Bearer " + SecuredTracker.AdminKey } };

        var readerCodes = new List<StatusCode>();
        for (var i = 0; i < 5; i++)
        {
            readerCodes.Add(await CodeOfAsync(client.ListEventsAsync(new ListEventsRequest(), reader)));
        }

        var adminCode = await CodeOfAsync(client.ListEventsAsync(new ListEventsRequest(), admin));

        Assert.Equal([StatusCode.OK, StatusCode.OK, StatusCode.OK, StatusCode.ResourceExhausted, StatusCode.ResourceExhausted], readerCodes);
        Assert.Equal(StatusCode.OK, adminCode);
    }

    [Fact]
    public async Task ListEvents_EverySlotBusyAndNoQueue_RefusedAtOnceAsOverloaded()
    {
        await using var slot = await HeldReadSlot.StartAsync();
        var client = slot.Factory.CreateGrpcClient();

        var refused = await Assert.ThrowsAsync<RpcException>(() => client.ListEventsAsync(new ListEventsRequest()).Bounded());
        var busyCode = await slot.ReleaseAsync();
        var afterCode = await CodeOfAsync(client.ListEventsAsync(new ListEventsRequest()));

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Equal("OVERLOADED", refused.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason);
        Assert.Equal("1000", refused.Trailers.GetValue("grpc-retry-pushback-ms"));
        Assert.Equal(StatusCode.Cancelled, busyCode);
        Assert.Equal(StatusCode.OK, afterCode);
    }

    [Fact]
    public async Task ListEvents_RefusedAsOverloaded_GrpcNetClientRetryPolicyWaitsThePushbackThenIsServed()
    {
        await using var slot = await HeldReadSlot.StartAsync();
        var attempts = new AttemptLog(slot.Factory.Server.CreateHandler());
        // A backoff of up to 10 minutes: the retry comes within the test's bound only because the
        // client waits the server's pushback (1 s) instead.
        var retry = new RetryPolicy
        {
            MaxAttempts = 2,
            InitialBackoff = TimeSpan.FromMinutes(10),
            MaxBackoff = TimeSpan.FromMinutes(10),
            BackoffMultiplier = 1,
            RetryableStatusCodes = { StatusCode.ResourceExhausted },
        };
        using var channel = slot.Factory.CreateGrpcChannel(attempts, new ServiceConfig { MethodConfigs = { new MethodConfig { Names = { MethodName.Default }, RetryPolicy = retry } } });

        var call = new EventService.EventServiceClient(channel).ListEventsAsync(new ListEventsRequest());
        await attempts.Refused.Task.Bounded();
        await slot.ReleaseAsync();
        await call.Bounded();

        Assert.Equal(["8", null], attempts.HeaderStatuses);
        Assert.Equal([null, "1"], attempts.PreviousAttempts);
    }

    [Fact]
    public async Task CreateEvent_EveryReadSlotBusy_ServedFromTheWriteSlotsWhileReadsAreRefused()
    {
        await using var slot = await HeldReadSlot.StartAsync();
        var client = slot.Factory.CreateGrpcClient();

        var created = await CodeOfAsync(client.CreateEventAsync(TestEvents.Deployment()));
        var read = await Assert.ThrowsAsync<RpcException>(() => client.GetEventAsync(new GetEventRequest { Id = "any" }).Bounded());

        Assert.Equal(StatusCode.OK, created);
        Assert.Equal(StatusCode.ResourceExhausted, read.StatusCode);
        Assert.Contains("1 concurrent reads", read.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("Limits:MaxConcurrentRequests", read.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateEvent_EveryWriteSlotBusy_RefusedNamingMaxConcurrentWritesWhileReadsAreServed()
    {
        var gate = new StoreGate { HoldCreates = true };
        await using var factory = new TrackerFactory
        {
            Gate = gate,
            Settings = { ["Limits:MaxConcurrentWrites"] = "1", ["Limits:QueueLength"] = "0" },
        };
        var client = factory.CreateGrpcClient();
        using var holder = new CancellationTokenSource();
        var busy = client.CreateEventAsync(TestEvents.Deployment(), cancellationToken: holder.Token);
        await gate.CreateHeld.Bounded();

        var refused = await Assert.ThrowsAsync<RpcException>(() => client.CreateEventAsync(TestEvents.Deployment()).Bounded());
        var read = await CodeOfAsync(client.ListEventsAsync(new ListEventsRequest()));
        await holder.CancelAsync();
        await CodeOfAsync(busy);

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Equal("OVERLOADED", refused.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason);
        Assert.Contains("1 concurrent writes", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("Limits:MaxConcurrentWrites", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.OK, read);
    }

    [Fact]
    public async Task ListEvents_SlotBusyQueueOfOne_OneWaitsAndIsServedTheOtherIsRefused()
    {
        await using var slot = await HeldReadSlot.StartAsync(queueLength: 1);
        var client = slot.Factory.CreateGrpcClient();

        var second = CodeOfAsync(client.ListEventsAsync(new ListEventsRequest()));
        var third = CodeOfAsync(client.ListEventsAsync(new ListEventsRequest()));
        // Whichever reaches the limiter second finds the queue full and is refused while the slot is still busy.
        var first = await Task.WhenAny(second, third).Bounded();
        var firstCode = await first;
        var busyCode = await slot.ReleaseAsync();
        var queuedCode = await (first == second ? third : second).Bounded();

        Assert.Equal(StatusCode.ResourceExhausted, firstCode);
        Assert.Equal(StatusCode.OK, queuedCode);
        Assert.Equal(StatusCode.Cancelled, busyCode);
    }

    [Fact]
    public async Task WatchEvents_OpenStream_TakesNoConcurrencySlot()
    {
        await using var factory = new TrackerFactory { Settings = { ["Limits:MaxConcurrentRequests"] = "1", ["Limits:QueueLength"] = "0" } };
        var client = factory.CreateGrpcClient();
        using var stop = new CancellationTokenSource();
        using var watch = client.WatchEvents(new WatchEventsRequest(), cancellationToken: stop.Token);
        await watch.ResponseHeadersAsync.Bounded();

        var codes = new List<StatusCode>();
        for (var i = 0; i < 3; i++)
        {
            codes.Add(await CodeOfAsync(client.ListEventsAsync(new ListEventsRequest())));
        }

        Assert.Equal([StatusCode.OK, StatusCode.OK, StatusCode.OK], codes);
    }

    [Fact]
    public async Task ListEvents_PathInOtherCase_StillDrawsFromTheBucket()
    {
        await using var factory = new TrackerFactory { Settings = BurstOfThree };
        var grpc = factory.CreateGrpcClient();
        for (var i = 0; i < 3; i++)
        {
            await grpc.ListEventsAsync(new ListEventsRequest()).Bounded();
        }

        // gRPC and REST routes match the path in any case: so must the limits.
        var grpcResponse = await RawGrpc.SendAsync(factory.Server.CreateClient(), "TRACKER.EVENT.V1ALPHA1.EVENTSERVICE", "LISTEVENTS", RawGrpc.Frame([]));
        using var rest = await factory.CreateClient().GetAsync("/API/V1ALPHA1/EVENTS/LIST").Bounded();

        Assert.Equal(StatusCode.ResourceExhausted, grpcResponse.GrpcStatus);
        Assert.Equal(HttpStatusCode.TooManyRequests, rest.StatusCode);
    }

    [Fact]
    public async Task WatchEvents_RestPathInOtherCase_TakesNoSlotWhileAnIdShapedPathDoes()
    {
        await using var slot = await HeldReadSlot.StartAsync();
        using var http = slot.Factory.CreateClient();

        // The one slot is taken: a watch, however spelled, needs none; GetEvent of the id "WatchEvents" does.
        using var watch = await http.GetAsync("/api/v1alpha1/EVENTS:WATCH", HttpCompletionOption.ResponseHeadersRead).Bounded();
        using var get = await http.GetAsync("/api/v1alpha1/event/WatchEvents").Bounded();

        Assert.Equal(HttpStatusCode.OK, watch.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, get.StatusCode);
    }

    private static async Task<StatusCode> CodeOfAsync<T>(AsyncUnaryCall<T> call)
    {
        try
        {
            await call.Bounded();
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    /// <summary>Each attempt a client sends: its grpc-previous-rpc-attempts header and the grpc-status of a trailers-only answer.</summary>
    private sealed class AttemptLog(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private readonly List<string?> _headerStatuses = [];
        private readonly List<string?> _previousAttempts = [];

        public TaskCompletionSource Refused { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<string?> HeaderStatuses { get { lock (_headerStatuses) { return [.. _headerStatuses]; } } }

        public IReadOnlyList<string?> PreviousAttempts { get { lock (_headerStatuses) { return [.. _previousAttempts]; } } }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            var status = response.Headers.TryGetValues("grpc-status", out var values) ? values.Single() : null;
            lock (_headerStatuses)
            {
                _headerStatuses.Add(status);
                _previousAttempts.Add(request.Headers.TryGetValues("grpc-previous-rpc-attempts", out var previous) ? previous.Single() : null);
            }

            if (status == "8")
            {
                Refused.TrySetResult();
            }

            return response;
        }
    }
}
