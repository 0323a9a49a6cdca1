using Tracker.Events.Access;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Hosting;
using Tracker.Events.Pipeline;
using Tracker.Events.Storage;
using Tracker.Events.Tests.Support;
using Grpc.Core;
using Xunit;
using static Tracker.Events.Tests.Service.ServiceHarness;

namespace Tracker.Events.Tests.Service;

/// <summary>
/// How calls answer when the store fails or the call is cancelled: each handler run through the
/// call pipeline (<see cref="EventCallPipeline"/>) as the host runs it, with the caller open.
/// </summary>
public sealed class StoreFailureTests
{
    public static TheoryData<string> EveryRpc => new()
    {
        nameof(EventRpcService.CreateEvent),
        nameof(EventRpcService.GetEvent),
        nameof(EventRpcService.UpdateEvent),
        nameof(EventRpcService.DeleteEvent),
        nameof(EventRpcService.ListEvents),
        nameof(EventRpcService.SearchEvents),
        nameof(EventRpcService.TodayEvents),
    };

    [Theory]
    [MemberData(nameof(EveryRpc))]
    public async Task AnyRpc_StoreUnavailable_UnavailableWithoutInternalsAndLogged(string rpc)
    {
        var logger = new ListLogger();
        var service = Service(new FailingStore(() => new StoreUnavailableException("disk on fire", new IOException("secret path /var/x"))), logger);

        var e = await RpcAssert.ThrowsAsync(StatusCode.Unavailable, () => Call(service, rpc, CancellationToken.None));

        Assert.Equal("The event store is unavailable; retry later.", e.Status.Detail);
        Assert.Empty(e.GetRpcStatus()?.Details ?? []);
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.IsType<StoreUnavailableException>(entry.Exception);
        AssertWriteLogged(logger, rpc, "UNAVAILABLE");
    }

    [Theory]
    [MemberData(nameof(EveryRpc))]
    public async Task AnyRpc_CallCancelled_EndsCancelledAndLogsAtDebugOnly(string rpc)
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var logger = new ListLogger();
        var service = Service(new FailingStore(() => new InvalidOperationException("store must not be called uncancelled")), logger);

        var e = await RpcAssert.ThrowsAsync(StatusCode.Cancelled, () => Call(service, rpc, cancelled.Token));

        Assert.DoesNotContain("store must not", e.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Debug, Assert.Single(logger.Entries).Level);
        AssertWriteLogged(logger, rpc, "CANCELLED");
    }

    /// <summary>A write ends in exactly one log line naming its outcome; a read in none.</summary>
    private static void AssertWriteLogged(ListLogger logger, string rpc, string outcome)
    {
        if (rpc is "CreateEvent" or "UpdateEvent" or "DeleteEvent")
        {
            var line = Assert.Single(logger.Writes);
            Assert.StartsWith(rpc + " of event ", line, StringComparison.Ordinal);
            Assert.EndsWith($"by anonymous: {outcome}.", line, StringComparison.Ordinal);
        }
        else
        {
            Assert.Empty(logger.Writes);
        }
    }

    [Theory]
    [MemberData(nameof(EveryRpc))]
    public async Task AnyRpc_Always_PassesTheCallsTokenToTheStore(string rpc)
    {
        using var source = new CancellationTokenSource();
        var store = new FailingStore(() => new StoreUnavailableException("down"));
        var service = Service(store, new ListLogger());

        await RpcAssert.ThrowsAsync(StatusCode.Unavailable, () => Call(service, rpc, source.Token));

        Assert.Equal(source.Token, store.LastToken);
    }

    private static Rpc Service(IEventStore store, ILogger<EventRpcService> logger) =>
        new(
            new EventRpcService(store, TestWatches.For(store), new FakeTimeProvider(Start), Options.Create(new TrackerOptions()), logger),
            new EventCallPipeline(new OpenCallerIdentity(), new FakeTimeProvider(Start), logger));

    private static Task Call(Rpc rpc, string method, CancellationToken cancellationToken)
    {
        var context = new TestCallContext(cancellationToken, RpcRegistry.All.Single(r => r.Name == method).FullName);
        const string id = "01890a5d-ac96-774b-bcce-b302099a8057";
        var (service, pipeline) = rpc;
        return method switch
        {
            nameof(EventRpcService.CreateEvent) => pipeline.UnaryServerHandler(ValidRequest(), context, service.CreateEvent),
            nameof(EventRpcService.GetEvent) => pipeline.UnaryServerHandler(new GetEventRequest { Id = id }, context, service.GetEvent),
            nameof(EventRpcService.UpdateEvent) => pipeline.UnaryServerHandler(new UpdateEventRequest { Id = id, Title = "t" }, context, service.UpdateEvent),
            nameof(EventRpcService.DeleteEvent) => pipeline.UnaryServerHandler(new DeleteEventRequest { Id = id }, context, service.DeleteEvent),
            nameof(EventRpcService.ListEvents) => pipeline.UnaryServerHandler(new ListEventsRequest(), context, service.ListEvents),
            nameof(EventRpcService.SearchEvents) => pipeline.UnaryServerHandler(new SearchEventsRequest { Service = "s" }, context, service.SearchEvents),
            nameof(EventRpcService.TodayEvents) => pipeline.UnaryServerHandler(new TodayEventsRequest(), context, service.TodayEvents),
            _ => throw new ArgumentOutOfRangeException(nameof(method)),
        };
    }

    /// <summary>A service and the pipeline its calls pass through.</summary>
    private sealed record Rpc(EventRpcService Service, EventCallPipeline Pipeline);

    /// <summary>
    /// A store whose every call fails, after honouring cancellation as real stores do. It wraps no
    /// store, so it implements the port itself rather than derive from DelegatingEventStore: a
    /// member the port gains must then be written here too, and cannot reach a real store unnoticed.
    /// </summary>
    private sealed class FailingStore(Func<Exception> failure) : IEventStore
    {
        public CancellationToken LastToken { get; private set; }

        public Task MigrateAsync(CancellationToken cancellationToken) => Fail<bool>(cancellationToken);

        public Task<Event> CreateAsync(Event newEvent, string? requestId, CancellationToken cancellationToken) => Fail<Event>(cancellationToken);

        public Task<Event> CreateOrFoldAsync(Event newEvent, string? requestId, TimeSpan window, CancellationToken cancellationToken) => Fail<Event>(cancellationToken);

        public Task<Event?> GetAsync(string id, CancellationToken cancellationToken) => Fail<Event?>(cancellationToken);

        public Task<bool> ReplaceAsync(Event updated, string expectedEtag, CancellationToken cancellationToken) => Fail<bool>(cancellationToken);

        public Task<DeleteOutcome> DeleteAsync(string id, string? expectedEtag, CancellationToken cancellationToken) => Fail<DeleteOutcome>(cancellationToken);

        public Task<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken) => Fail<EventPage>(cancellationToken);

        public Task<long?> FindSequenceAsync(string id, CancellationToken cancellationToken) => Fail<long?>(cancellationToken);

        public Task<IReadOnlyList<EventChange>> ReadChangesAsync(long afterSequence, int limit, CancellationToken cancellationToken) => Fail<IReadOnlyList<EventChange>>(cancellationToken);

        public Task<ChangeLogBounds> GetChangeLogBoundsAsync(CancellationToken cancellationToken) => Fail<ChangeLogBounds>(cancellationToken);

        public Task<int> PurgeChangesAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken) => Fail<int>(cancellationToken);

        public Task<IReadOnlyDictionary<Api.V1Alpha1.Type, int>> DeleteExpiredAsync(IReadOnlyList<ExpiryCutoff> cutoffs, int limit, CancellationToken cancellationToken) =>
            Fail<IReadOnlyDictionary<Api.V1Alpha1.Type, int>>(cancellationToken);

        public Task<bool> IsReachableAsync(CancellationToken cancellationToken) => Task.FromResult(false);

        private Task<T> Fail<T>(CancellationToken cancellationToken)
        {
            LastToken = cancellationToken;
            return cancellationToken.IsCancellationRequested
                ? Task.FromCanceled<T>(cancellationToken)
                : Task.FromException<T>(failure());
        }
    }

    private sealed class ListLogger : ILogger<EventRpcService>
    {
        /// <summary>Every entry but the write log lines, which <see cref="Writes"/> keeps.</summary>
        public List<(LogLevel Level, Exception? Exception)> Entries { get; } = [];

        /// <summary>The write log lines (event id 3005): one per CreateEvent, UpdateEvent or DeleteEvent.</summary>
        public List<string> Writes { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == 3005)
            {
                Assert.Equal(LogLevel.Information, logLevel);
                Writes.Add(formatter(state, exception));
            }
            else
            {
                Entries.Add((logLevel, exception));
            }
        }
    }
}
