using System.Net;
using System.Text.Json;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;
using Tracker.Events.Watching;
using Tracker.Server.Tests.Support;
using Status = Tracker.Api.V1Alpha1.Status;
using StatusCode = Grpc.Core.StatusCode;

namespace Tracker.Server.Tests.Watching;

/// <summary>
/// WatchEvents (README, "Watching events") through the real service in process, over gRPC (Grpc.Net.Client),
/// gRPC-Web and REST: each change once and in order, replay then live with no gap or repeat at
/// the switch under a concurrent writer, resume after a cut, initial events, a slow reader ended
/// with RESOURCE_EXHAUSTED, cancellation freeing the watcher, and the request's errors. Each test
/// watches a service of its own, so the shared database's other events never reach it.
/// </summary>
public sealed class WatchEventsTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly EventService.EventServiceClient _client = factory.CreateGrpcClient();

    [Fact]
    public async Task WatchEvents_CreateUpdateDelete_EachChangeOnceInOrder()
    {
        var service = TestEvents.UniqueService();
        using var watch = await WatchFromNowAsync($"service=\"{service}\"");

        var created = await _client.CreateEventAsync(TestEvents.Deployment(service)).Bounded();
        var updated = await _client.UpdateEventAsync(new UpdateEventRequest { Id = created.Id, Attributes = new EventAttributes { Status = Status.Success } }).Bounded();
        await _client.DeleteEventAsync(new DeleteEventRequest { Id = created.Id }).Bounded();

        var changes = await ReadAsync(watch, 3);
        Assert.Equal([ChangeType.Created, ChangeType.Updated, ChangeType.Deleted], changes.Select(c => c.ChangeType));
        Assert.All(changes, c => Assert.Equal(created.Id, c.Event.Id));
        Assert.Equal(created.Etag, changes[0].Event.Etag);
        Assert.Equal(Status.Success, changes[1].Event.Attributes.Status);
        Assert.Equal(updated.Etag, changes[2].Event.Etag);
        var positions = changes.Select(c => long.Parse(c.ChangeId)).ToList();
        Assert.Equal(positions.Order(), positions);
        Assert.Equal(positions.Count, positions.Distinct().Count());
        Assert.All(changes, c => Assert.NotNull(c.ChangeTime));
    }

    [Fact]
    public async Task WatchEvents_NothingMatchesYet_HeadersAreSentAtOnce()
    {
        var filter = $"service=\"{TestEvents.UniqueService()}\"";
        using var watch = _client.WatchEvents(new WatchEventsRequest { Filter = filter });
        using var response = await factory.CreateClient().GetAsync($"/api/v1alpha1/events:watch?filter={Uri.EscapeDataString(filter)}", HttpCompletionOption.ResponseHeadersRead).Bounded();

        // Subscribed, with no change to send: the client knows it at once, over gRPC and REST.
        Assert.NotNull(await watch.ResponseHeadersAsync.Bounded());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task WatchEvents_Filter_SendsOnlyMatchingEvents()
    {
        var service = TestEvents.UniqueService();
        using var watch = await WatchFromNowAsync($"service=\"{service}\" AND priority<=PRIORITY_P2");

        var low = TestEvents.Deployment(service);
        low.Attributes.Priority = Priority.P4;
        await _client.CreateEventAsync(low).Bounded();
        var high = TestEvents.Deployment(service);
        high.Attributes.Priority = Priority.P1;
        var wanted = await _client.CreateEventAsync(high).Bounded();

        var change = Assert.Single(await ReadAsync(watch, 1));
        Assert.Equal(wanted.Id, change.Event.Id);
    }

    [Fact]
    public async Task WatchEvents_UpdateTakesTheEventOutOfTheFilter_ThatUpdateIsSentThenNothingUntilItMatchesAgain()
    {
        var service = TestEvents.UniqueService();
        var first = await _client.CreateEventAsync(TestEvents.Deployment(service)).Bounded();
        using var live = _client.WatchEvents(new WatchEventsRequest { Filter = $"service=\"{service}\" AND status=STATUS_START", AfterId = first.Id });
        var created = await _client.CreateEventAsync(TestEvents.Deployment(service)).Bounded();
        await _client.UpdateEventAsync(new UpdateEventRequest { Id = created.Id, Attributes = new EventAttributes { Status = Status.Success } }).Bounded();
        await _client.UpdateEventAsync(new UpdateEventRequest { Id = created.Id, Title = "renamed while out of the filter" }).Bounded();
        await _client.UpdateEventAsync(new UpdateEventRequest { Id = created.Id, Attributes = new EventAttributes { Status = Status.Start } }).Bounded();

        var changes = await ReadAsync(live, 3);

        Assert.Equal([ChangeType.Created, ChangeType.Updated, ChangeType.Updated], changes.Select(c => c.ChangeType));
        Assert.Equal([Status.Start, Status.Success, Status.Start], changes.Select(c => c.Event.Attributes.Status));
        Assert.Equal("renamed while out of the filter", changes[2].Event.Title);

        // The same from the change log (a replay), not only from the live feed.
        using var replay = _client.WatchEvents(new WatchEventsRequest { Filter = $"service=\"{service}\" AND status=STATUS_START", AfterId = first.Id });
        Assert.Equal(changes.Select(c => c.ChangeId), (await ReadAsync(replay, 3)).Select(c => c.ChangeId));
    }

    [Fact]
    public async Task WatchEvents_AfterIdUnderConcurrentWriter_ReplaysThenLiveEveryChangeExactlyOnce()
    {
        var service = TestEvents.UniqueService();
        var first = await _client.CreateEventAsync(TestEvents.Deployment(service)).Bounded();
        var before = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            before.Add((await _client.CreateEventAsync(TestEvents.Deployment(service)).Bounded()).Id);
        }

        // Creates race the switch from replay to live: 4 writers, 50 events each.
        var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                await _client.CreateEventAsync(TestEvents.Deployment(service)).ResponseAsync;
            }
        })).ToArray();
        using var watch = _client.WatchEvents(new WatchEventsRequest { Filter = $"service=\"{service}\"", AfterId = first.Id });
        await Task.WhenAll(writers).Bounded();

        var received = await ReadAsync(watch, 230);
        var expected = await AllCreatedAfterAsync(service, first.Id);
        Assert.Equal(230, expected.Count);
        Assert.Equal(expected, received.Select(c => c.Event.Id));
        Assert.Equal(before, received.Take(30).Select(c => c.Event.Id));
    }

    [Fact]
    public async Task WatchEvents_ResumedWithTheLastChangeIdAfterACut_ContinuesWithoutGapOrRepeat()
    {
        var service = TestEvents.UniqueService();
        var start = await _client.CreateEventAsync(TestEvents.Deployment(service)).Bounded();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                await _client.CreateEventAsync(TestEvents.Deployment(service)).ResponseAsync;
            }
        });

        var received = new List<WatchEventsResponse>();
        var afterId = start.Id;
        while (received.Count < 200)
        {
            // Each connection is cut after a few changes; the next resumes after the last one seen.
            using var cut = new CancellationTokenSource();
            using var watch = _client.WatchEvents(new WatchEventsRequest { Filter = $"service=\"{service}\"", AfterId = afterId }, cancellationToken: cut.Token);
            var batch = await ReadAsync(watch, Math.Min(37, 200 - received.Count));
            await cut.CancelAsync();
            received.AddRange(batch);
            afterId = batch[^1].ChangeId;
        }

        await writer.Bounded();
        Assert.Equal(await AllCreatedAfterAsync(service, start.Id), received.Select(c => c.Event.Id));
    }

    [Fact]
    public async Task WatchEvents_SendInitialEvents_SendsTheEventsThatExistThenLiveOnes()
    {
        var service = TestEvents.UniqueService();
        var a = await _client.CreateEventAsync(TestEvents.Deployment(service)).Bounded();
        var b = await _client.CreateEventAsync(TestEvents.Deployment(service)).Bounded();
        using var watch = _client.WatchEvents(new WatchEventsRequest { Filter = $"service=\"{service}\"", SendInitialEvents = true });

        // Created after the initial list: it comes as a live change (or a replayed one), either way once.
        var initial = await ReadAsync(watch, 2);
        var c = await _client.CreateEventAsync(TestEvents.Deployment(service)).Bounded();
        var live = Assert.Single(await ReadAsync(watch, 1));

        Assert.Equal([a.Id, b.Id], initial.Select(i => i.Event.Id));
        Assert.All(initial, i => Assert.True(i.Initial));
        Assert.All(initial, i => Assert.Equal(ChangeType.Created, i.ChangeType));
        Assert.Equal(c.Id, live.Event.Id);
        Assert.False(live.Initial);
        Assert.True(long.Parse(live.ChangeId) > long.Parse(initial[0].ChangeId));
    }

    [Fact]
    public async Task WatchEvents_ReaderTooSlow_EndedWithResourceExhaustedNamingTheLastChangeDelivered()
    {
        await using var small = factory.WithWebHostBuilder(b => b.UseSetting("Tracker:Watch:BufferSize", "4"));
        var client = new EventService.EventServiceClient(Grpc.Net.Client.GrpcChannel.ForAddress(small.Server.BaseAddress, new() { HttpHandler = small.Server.CreateHandler() }));
        var feed = small.Services.GetRequiredService<ChangeFeed>();
        var service = TestEvents.UniqueService();
        var first = await client.CreateEventAsync(TestEvents.Deployment(service)).Bounded();
        using var watch = client.WatchEvents(new WatchEventsRequest { Filter = $"service=\"{service}\"", AfterId = first.Id });
        await WaitUntilAsync(() => feed.WatcherCount == 1);

        // Nobody reads while 300 events are created: the in-memory stream's own buffer holds a
        // few, the watcher's 4 more, and the rest overflow it.
        for (var i = 0; i < 300; i++)
        {
            await client.CreateEventAsync(TestEvents.Deployment(service)).Bounded();
        }

        await WaitUntilAsync(() => feed.WatcherCount == 0);
        var delivered = new List<WatchEventsResponse>();
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await watch.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeout.Default))
            {
                delivered.Add(watch.ResponseStream.Current);
            }
        });

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.InRange(delivered.Count, 1, 299);
        var info = ErrorInfo(error);
        Assert.Equal("WATCHER_FELL_BEHIND", info.Reason);
        Assert.Equal(delivered[^1].ChangeId, info.Metadata["last_change_id"]);
        Assert.Contains($"after_id=\"{delivered[^1].ChangeId}\"", error.Status.Detail);
    }

    [Fact]
    public async Task WatchEvents_CallCancelledOrPastDeadline_LeavesTheFeedAtOnce()
    {
        // A server of its own: the shared one's watcher count moves with the other tests' calls.
        await using var isolated = new TrackerFactory();
        var client = isolated.CreateGrpcClient();
        var feed = isolated.Services.GetRequiredService<ChangeFeed>();
        var before = feed.WatcherCount;
        using (var cancel = new CancellationTokenSource())
        {
            using var watch = client.WatchEvents(new WatchEventsRequest { Filter = $"service=\"{TestEvents.UniqueService()}\"" }, cancellationToken: cancel.Token);
            await WaitUntilAsync(() => feed.WatcherCount == before + 1);
            await cancel.CancelAsync();
            await WaitUntilAsync(() => feed.WatcherCount == before);
        }

        using var timed = client.WatchEvents(new WatchEventsRequest { Filter = $"service=\"{TestEvents.UniqueService()}\"" }, deadline: DateTime.UtcNow.AddMilliseconds(500));
        var error = await Assert.ThrowsAsync<RpcException>(() => timed.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeout.Default));
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        await WaitUntilAsync(() => feed.WatcherCount == before);
    }

    [Theory]
    [InlineData("{\"filter\":\"service=\",\"afterId\":\"\"}", "filter")]
    [InlineData("{\"filter\":\"service=\\\"a\\\"\",\"query\":\"{}\"}", "query")]
    [InlineData("{\"afterId\":\"01900000-0000-7000-8000-000000000000\"}", "after_id")]
    [InlineData("{\"afterId\":\"999999999999\"}", "after_id")]
    [InlineData("{\"afterId\":\"1\",\"sendInitialEvents\":true}", "send_initial_events")]
    public async Task WatchEvents_InvalidRequest_InvalidArgumentNamingTheField(string requestJson, string field)
    {
        var request = Google.Protobuf.JsonParser.Default.Parse<WatchEventsRequest>(requestJson);
        using var watch = _client.WatchEvents(request);

        var error = await Assert.ThrowsAsync<RpcException>(() => watch.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeout.Default));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var badRequest = error.GetRpcStatus()!.GetDetail<BadRequest>();
        Assert.Contains(field, badRequest.FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public async Task WatchEvents_AfterAPurgedChange_OutOfRange()
    {
        await using var isolated = new TrackerFactory();
        var client = isolated.CreateGrpcClient();
        var old = await client.CreateEventAsync(TestEvents.Deployment()).Bounded();
        await client.CreateEventAsync(TestEvents.Deployment()).Bounded();
        await client.CreateEventAsync(TestEvents.Deployment()).Bounded();
        var store = isolated.Services.GetRequiredService<IEventStore>();
        Assert.Equal(3, await store.PurgeChangesAsync(DateTimeOffset.UtcNow.AddMinutes(1), 1000, CancellationToken.None));

        using var watch = client.WatchEvents(new WatchEventsRequest { AfterId = old.Id });
        var error = await Assert.ThrowsAsync<RpcException>(() => watch.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeout.Default));

        Assert.Equal(StatusCode.OutOfRange, error.StatusCode);
        Assert.Equal("CHANGES_EXPIRED", ErrorInfo(error).Reason);
    }

    [Fact]
    public async Task WatchEvents_OverGrpcWeb_StreamsChanges()
    {
        var client = factory.CreateGrpcWebClient(Grpc.Net.Client.Web.GrpcWebMode.GrpcWebText);
        var service = TestEvents.UniqueService();
        var first = await _client.CreateEventAsync(TestEvents.Deployment(service)).Bounded();
        var second = await _client.CreateEventAsync(TestEvents.Deployment(service)).Bounded();

        using var watch = client.WatchEvents(new WatchEventsRequest { Filter = $"service=\"{service}\"", AfterId = first.Id });

        Assert.Equal(second.Id, Assert.Single(await ReadAsync(watch, 1)).Event.Id);
    }

    [Fact]
    public async Task WatchEvents_OverRest_NewlineDelimitedJson()
    {
        var http = factory.CreateClient();
        var service = TestEvents.UniqueService();
        var first = await _client.CreateEventAsync(TestEvents.Deployment(service)).Bounded();
        var second = await _client.CreateEventAsync(TestEvents.Deployment(service)).Bounded();
        var filter = Uri.EscapeDataString($"service=\"{service}\"");

        using var response = await http.GetAsync($"/api/v1alpha1/events:watch?filter={filter}&after_id={first.Id}", HttpCompletionOption.ResponseHeadersRead).Bounded();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var line = await reader.ReadLineAsync().Bounded();

        using var json = JsonDocument.Parse(line!);
        Assert.Equal("CHANGE_TYPE_CREATED", json.RootElement.GetProperty("changeType").GetString());
        Assert.Equal(second.Id, json.RootElement.GetProperty("event").GetProperty("id").GetString());
    }

    private static ErrorInfo ErrorInfo(RpcException error) => error.GetRpcStatus()!.GetDetail<ErrorInfo>();

    /// <summary>
    /// A watch of the changes from now on, deterministically: it starts after a marker event of
    /// another service, so a change made once this returns comes whether the watch has gone live
    /// yet or still replays.
    /// </summary>
    private async Task<AsyncServerStreamingCall<WatchEventsResponse>> WatchFromNowAsync(string filter)
    {
        var marker = await _client.CreateEventAsync(TestEvents.Deployment()).Bounded();
        return _client.WatchEvents(new WatchEventsRequest { Filter = filter, AfterId = marker.Id });
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TestTimeout.Default);
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    private static async Task<List<WatchEventsResponse>> ReadAsync(AsyncServerStreamingCall<WatchEventsResponse> watch, int count)
    {
        var received = new List<WatchEventsResponse>();
        while (received.Count < count && await watch.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeout.Default))
        {
            received.Add(watch.ResponseStream.Current);
        }

        return received;
    }

    /// <summary>The ids of the service's events created after <paramref name="afterId"/>, oldest first, as ListEvents lists them.</summary>
    private async Task<List<string>> AllCreatedAfterAsync(string service, string afterId)
    {
        var ids = new List<string>();
        var token = string.Empty;
        do
        {
            var page = await _client.ListEventsAsync(new ListEventsRequest { Filter = $"service=\"{service}\"", AfterId = afterId, PageSize = 1000, PageToken = token }).Bounded();
            ids.AddRange(page.Events.Select(e => e.Id));
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        return ids;
    }
}
