using System.Collections.Concurrent;
using System.Net.Http.Json;
using Grpc.Net.Client;
using Npgsql;
using Tracker.Api.V1Alpha1;
using Tracker.Testing;
using Xunit.Abstractions;

namespace Tracker.EndToEnd.Tests.Notifications;

/// <summary>
/// Notifications against real server processes and a real webhook receiver on 127.0.0.1
/// (README, "Notifications", delivery guarantees): every committed change reaches the channel
/// even when the server is killed (SIGKILL) in the middle of a burst of creates and deliveries,
/// and with two replicas on one PostgreSQL each change is delivered once per channel, and
/// delivery goes on when one replica dies.
/// </summary>
public abstract class NotificationDeliveryTests(ITestOutputHelper output)
{
    private const int Writers = 8;
    private const int AcknowledgedBeforeKill = 200;

    // After a SIGKILL, the messages in flight wait for their lease to expire (30 s) before they go again.
    protected static readonly TimeSpan DeliveryLimit = TimeSpan.FromSeconds(120);

    protected abstract TrackerSettings CreateSettings();

    protected virtual Task CleanUpAsync(TrackerSettings settings) => Task.CompletedTask;

    [Fact]
    public async Task Deliveries_ServerKilledMidBurst_EveryCommittedChangeReachesTheReceiverAfterRestart()
    {
        var settings = Notifying(CreateSettings());
        try
        {
            // A slow receiver, so that deliveries are in flight when the server dies.
            await using var receiver = await WebhookReceiver.StartAsync();
            receiver.Answer = _ => new WebhookAnswer(204, TimeSpan.FromMilliseconds(5));

            IReadOnlyCollection<string> acknowledged;
            await using (var server = await TrackerProcess.StartAsync(settings))
            {
                await CreateChannelAsync(server, "killed", receiver.Url);
                acknowledged = await CreateUntilKilledAsync(server);
            }

            await using var restarted = await TrackerProcess.StartAsync(settings);
            var received = await receiver.WaitForAsync(r => acknowledged.All(r.Select(w => w.EventId).ToHashSet().Contains), DeliveryLimit);

            var receivedIds = received.Select(w => w.EventId).ToHashSet();
            var missing = acknowledged.Where(id => !receivedIds.Contains(id)).ToList();
            var duplicates = received.Count - received.Select(w => w.Id).Distinct().Count();
            output.WriteLine($"{acknowledged.Count} creates acknowledged before the kill; {received.Count} webhooks received, {receivedIds.Count} distinct events, {duplicates} repeated message ids (receivers dedupe by webhook-id), {missing.Count} missing.");
            Assert.Empty(missing);

            // A message repeated after the crash keeps its id and its change: a receiver can dedupe and order.
            foreach (var repeat in received.GroupBy(w => w.Id).Where(g => g.Count() > 1))
            {
                Assert.Single(repeat.Select(w => (w.EventId, w.ChangeId)).Distinct());
            }
        }
        finally
        {
            await CleanUpAsync(settings);
        }
    }

    /// <summary>The settings every test here runs with: a receiver on loopback over http.</summary>
    protected static TrackerSettings Notifying(TrackerSettings settings)
    {
        settings.Environment["Notifications__AllowPrivateTargets"] = "true";
        settings.Environment["Notifications__AllowHttp"] = "true";
        return settings;
    }

    /// <summary>Creates a webhook channel over REST that takes every created event of service "notified".</summary>
    protected static async Task CreateChannelAsync(TrackerProcess server, string name, Uri url)
    {
        using var http = new HttpClient { BaseAddress = server.HttpAddress };
        using var response = await http.PostAsJsonAsync("/api/v1alpha1/channels", new
        {
            name,
            kind = "CHANNEL_KIND_WEBHOOK",
            url = url.ToString(),
            filter = "service = \"notified\"",
            changeTypes = new[] { "CHANGE_TYPE_CREATED" },
        });
        Assert.True(response.IsSuccessStatusCode, $"Creating channel {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Creates one event of service "notified" through <paramref name="server"/>.</summary>
    protected static async Task<string> CreateAsync(EventService.EventServiceClient client, string title) =>
        (await client.CreateEventAsync(new CreateEventRequest
        {
            Title = title,
            Attributes = new EventAttributes { Type = Api.V1Alpha1.Type.Deployment, Service = "notified" },
        }).ResponseAsync.WaitAsync(TimeSpan.FromSeconds(30))).Id;

    private static async Task<IReadOnlyCollection<string>> CreateUntilKilledAsync(TrackerProcess server)
    {
        var acknowledged = new ConcurrentBag<string>();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var channel = GrpcChannel.ForAddress(server.GrpcAddress);
        var client = new EventService.EventServiceClient(channel);

        async Task WriteAsync(int writer)
        {
            for (var i = 0; ; i++)
            {
                try
                {
                    acknowledged.Add(await CreateAsync(client, $"burst {writer}/{i}"));
                }
                catch (Exception)
                {
                    return; // The server is gone: calls in flight were never acknowledged.
                }

                if (acknowledged.Count >= AcknowledgedBeforeKill)
                {
                    enough.TrySetResult();
                }
            }
        }

        var writers = Enumerable.Range(0, Writers).Select(WriteAsync).ToArray();
        await enough.Task.WaitAsync(TimeSpan.FromMinutes(2));
        await server.KillAsync();
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromMinutes(1));
        return acknowledged.ToArray();
    }
}

public sealed class SqliteNotificationDeliveryTests(ITestOutputHelper output) : NotificationDeliveryTests(output)
{
    protected override TrackerSettings CreateSettings() => TrackerSettings.Sqlite();

    protected override Task CleanUpAsync(TrackerSettings settings)
    {
        Directory.Delete(settings.DataDirectory, recursive: true);
        return Task.CompletedTask;
    }
}

public sealed class PostgresNotificationDeliveryTests(ITestOutputHelper output) : NotificationDeliveryTests(output)
{
    private readonly string _schema = "notify_" + Guid.NewGuid().ToString("N")[..12];
    private readonly ITestOutputHelper _output = output;

    protected override TrackerSettings CreateSettings() =>
        TrackerSettings.Postgres(new NpgsqlConnectionStringBuilder(PostgresTrackerFixture.ConnectionString) { SearchPath = _schema }.ConnectionString);

    [Fact]
    public async Task Deliveries_TwoReplicas_EachChangeOncePerChannel_AndGoOnWhenOneDies()
    {
        var settings = Notifying(CreateSettings());
        try
        {
            await using var receiver = await WebhookReceiver.StartAsync();
            await using var first = await TrackerProcess.StartAsync(settings);
            await using var second = await TrackerProcess.StartAsync(settings);
            await CreateChannelAsync(first, "replicated-a", receiver.Url);
            await CreateChannelAsync(second, "replicated-b", receiver.Url);
            using var firstChannel = GrpcChannel.ForAddress(first.GrpcAddress);
            using var secondChannel = GrpcChannel.ForAddress(second.GrpcAddress);
            var clients = new[] { new EventService.EventServiceClient(firstChannel), new EventService.EventServiceClient(secondChannel) };

            var created = new List<string>();
            for (var i = 0; i < 60; i++)
            {
                created.Add(await CreateAsync(clients[i % 2], $"replicated {i}"));
            }

            var received = await receiver.WaitForAsync(r => r.Count >= created.Count * 2, DeliveryLimit);
            // Give a second delivery, if one were coming, the time to arrive.
            await Task.Delay(TimeSpan.FromSeconds(2));
            received = receiver.Received;
            var perChannel = received.GroupBy(w => (w.Channel, w.EventId)).ToDictionary(g => g.Key, g => g.Count());
            _output.WriteLine($"{created.Count} events through two replicas, 2 channels: {received.Count} webhooks received.");
            foreach (var id in created)
            {
                Assert.Equal(1, perChannel.GetValueOrDefault(("replicated-a", id)));
                Assert.Equal(1, perChannel.GetValueOrDefault(("replicated-b", id)));
            }

            // One replica dies; the other routes and delivers what is written through it.
            await first.KillAsync();
            var after = new List<string>();
            for (var i = 0; i < 20; i++)
            {
                after.Add(await CreateAsync(clients[1], $"after the kill {i}"));
            }

            received = await receiver.WaitForAsync(r => after.All(id => r.Count(w => w.EventId == id) >= 2), DeliveryLimit);
            foreach (var id in after)
            {
                Assert.Equal(2, received.Count(w => w.EventId == id));
            }
        }
        finally
        {
            await CleanUpAsync(settings);
        }
    }

    protected override async Task CleanUpAsync(TrackerSettings settings)
    {
        Directory.Delete(settings.DataDirectory, recursive: true);
        await using var connection = new NpgsqlConnection(PostgresTrackerFixture.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
