using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Hosting;
using Tracker.Events.Sqlite;
using Tracker.Events.Tests.Support;
using Grpc.Core;

namespace Tracker.Events.Tests.Service;

/// <summary>An EventRpcService over a real SQLite store in a temporary file, on a fake clock.</summary>
internal sealed class ServiceHarness : IDisposable
{
    public static readonly DateTimeOffset Start = new(2024, 6, 15, 10, 0, 0, TimeSpan.Zero);

    private readonly TempSqliteDatabase _database;

    private ServiceHarness(TempSqliteDatabase database, SqliteEventStore store, FakeTimeProvider clock, string timeZone, int countLimit)
    {
        _database = database;
        Store = store;
        Clock = clock;
        var options = new TrackerOptions { TimeZone = timeZone, Search = new SearchOptions { CountLimit = countLimit } };
        Service = new EventRpcService(store, TestWatches.For(store), clock, Options.Create(options), NullLogger<EventRpcService>.Instance);
    }

    public FakeTimeProvider Clock { get; }

    public SqliteEventStore Store { get; }

    public EventRpcService Service { get; }

    public static ServerCallContext Context(CancellationToken cancellationToken = default) =>
        new TestCallContext(cancellationToken);

    /// <param name="timeZone">Tracker:TimeZone.</param>
    /// <param name="now">The fake clock's start (it only moves forward); default <see cref="Start"/>.</param>
    /// <param name="countLimit">Tracker:Search:CountLimit.</param>
    public static async Task<ServiceHarness> StartAsync(string timeZone = "UTC", DateTimeOffset? now = null, int countLimit = SearchOptions.DefaultCountLimit)
    {
        var database = new TempSqliteDatabase();
        var store = new SqliteEventStore(database.ConnectionString);
        await store.MigrateAsync(CancellationToken.None).Bounded();
        return new ServiceHarness(database, store, new FakeTimeProvider(now ?? Start), timeZone, countLimit);
    }

    /// <summary>A request the service accepts: a title, a type and a service.</summary>
    public static CreateEventRequest ValidRequest(Action<CreateEventRequest>? configure = null)
    {
        var request = new CreateEventRequest
        {
            Title = "Deploy user-service v2.1.0 to production",
            Attributes = new EventAttributes { Type = Api.V1Alpha1.Type.Deployment, Service = "user-service" },
        };
        configure?.Invoke(request);
        return request;
    }

    public Task<Event> CreateAsync(Action<CreateEventRequest>? configure = null) =>
        Service.CreateEvent(ValidRequest(configure), Context()).Bounded();

    /// <summary>Creates <paramref name="count"/> events one second apart, oldest first.</summary>
    public async Task<List<Event>> CreateManyAsync(int count, Action<int, CreateEventRequest>? configure = null)
    {
        var events = new List<Event>();
        for (var i = 0; i < count; i++)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            var n = i;
            events.Add(await CreateAsync(r => configure?.Invoke(n, r)));
        }

        return events;
    }

    public void Dispose()
    {
        Store.Dispose();
        _database.Dispose();
    }
}
