using Grpc.Net.Client;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tracker.Api.V1Alpha1;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.Watching;

/// <summary>
/// Retention (README, "Retention") in the whole host: with Retention:Default set and the host's clock a
/// FakeTimeProvider, an event whose retention has passed is deleted by the retention service, and
/// a watcher of it is sent CHANGE_TYPE_DELETED, as for a DeleteEvent call.
/// </summary>
public sealed class RetentionWatchTests
{
    [Fact]
    public async Task WatchEvents_RetentionDeletesAnExpiredEvent_TheWatcherIsSentItsDeletion()
    {
        await using var factory = new TrackerFactory();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("Retention:Default", "1.00:00:00");
            b.UseSetting("Retention:Interval", "01:00:00");
            b.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(time));
        });
        var client = new EventService.EventServiceClient(GrpcChannel.ForAddress(
            host.Server.BaseAddress,
            new GrpcChannelOptions { HttpHandler = host.Server.CreateHandler() }));
        var service = TestEvents.UniqueService();
        var marker = await client.CreateEventAsync(TestEvents.Deployment()).Bounded();
        var created = await client.CreateEventAsync(TestEvents.Deployment(service)).Bounded();
        using var watch = client.WatchEvents(new WatchEventsRequest { Filter = $"service=\"{service}\"", AfterId = marker.Id });
        Assert.NotNull(await watch.ResponseHeadersAsync.Bounded());

        // Two days on, the event (last changed at creation) is a day past its retention.
        time.Advance(TimeSpan.FromDays(2));

        Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeout.Default));
        Assert.Equal(ChangeType.Created, watch.ResponseStream.Current.ChangeType);
        Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeout.Default));
        var deletion = watch.ResponseStream.Current;
        Assert.Equal(ChangeType.Deleted, deletion.ChangeType);
        Assert.Equal(created, deletion.Event);
        Assert.Contains(factory.Logs.Entries, e => e.EventId.Id == 4101 && e.Message.Contains("default 1 day,", StringComparison.Ordinal));
    }
}
