using System.Diagnostics;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Npgsql;
using Tracker.Api.V1Alpha1;
using Tracker.Testing;

namespace Tracker.EndToEnd.Tests.Watching;

/// <summary>
/// WatchEvents against real server processes on 127.0.0.1 (README, "Watching events"): a change written through
/// one replica reaches a watcher of another on the same PostgreSQL (LISTEN/NOTIFY), Ctrl+C ends
/// open watches cleanly, and curl reads the REST stream as newline-delimited JSON.
/// </summary>
public sealed class WatchAcrossProcessesTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TwoReplicasOnPostgres_ChangesWrittenThroughOne_ReachAWatcherOfTheOther()
    {
        var schema = "watch_" + Guid.NewGuid().ToString("N")[..12];
        var connection = new NpgsqlConnectionStringBuilder(PostgresTrackerFixture.ConnectionString) { SearchPath = schema }.ConnectionString;
        try
        {
            await using var writerProcess = await TrackerProcess.StartAsync(TrackerSettings.Postgres(connection));
            // The watcher's feed polls only hourly: the changes must come by notification.
            var watcherSettings = TrackerSettings.Postgres(connection);
            watcherSettings.Environment["Tracker__Watch__PollInterval"] = "01:00:00";
            await using var watcherProcess = await TrackerProcess.StartAsync(watcherSettings);
            using var writerChannel = GrpcChannel.ForAddress(writerProcess.GrpcAddress);
            using var watcherChannel = GrpcChannel.ForAddress(watcherProcess.GrpcAddress);
            var writer = new EventService.EventServiceClient(writerChannel);
            var watcher = new EventService.EventServiceClient(watcherChannel);

            // From a marker on: whether a create lands before or after the watch goes live, it comes once.
            var marker = await writer.CreateEventAsync(Deployment("marker")).ResponseAsync.WaitAsync(Limit);
            using var watch = watcher.WatchEvents(new WatchEventsRequest { Filter = "service=\"replicated\"", AfterId = marker.Id });
            var created = new List<string>();
            for (var i = 0; i < 20; i++)
            {
                created.Add((await writer.CreateEventAsync(Deployment("replicated")).ResponseAsync.WaitAsync(Limit)).Id);
            }

            await writer.DeleteEventAsync(new DeleteEventRequest { Id = created[0] }).ResponseAsync.WaitAsync(Limit);

            var received = await ReadAsync(watch, 21);
            Assert.Equal(created, received.Take(20).Select(c => c.Event.Id));
            Assert.Equal(ChangeType.Deleted, received[20].ChangeType);
            Assert.Equal(created[0], received[20].Event.Id);
        }
        finally
        {
            await using var admin = new NpgsqlConnection(PostgresTrackerFixture.ConnectionString);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task Server_CtrlCWithOpenWatches_EndsThemWithUnavailableNamingTheLastChange()
    {
        var settings = TrackerSettings.Sqlite();
        await using var server = await TrackerProcess.StartAsync(settings);
        using var channel = GrpcChannel.ForAddress(server.GrpcAddress);
        var client = new EventService.EventServiceClient(channel);
        var first = await client.CreateEventAsync(Deployment("stopping")).ResponseAsync.WaitAsync(Limit);
        var second = await client.CreateEventAsync(Deployment("stopping")).ResponseAsync.WaitAsync(Limit);
        using var watch = client.WatchEvents(new WatchEventsRequest { AfterId = first.Id });
        var delivered = Assert.Single(await ReadAsync(watch, 1));

        var exitCode = await server.InterruptAsync();

        Assert.Equal(0, exitCode);
        var error = await Assert.ThrowsAsync<RpcException>(() => watch.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Limit));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(second.Id, delivered.Event.Id);
        Assert.Contains($"after_id=\"{delivered.ChangeId}\"", error.Status.Detail);
        Directory.Delete(settings.DataDirectory, recursive: true);
    }

    [Fact]
    public async Task Rest_Curl_ReadsTheStreamAsNewlineDelimitedJson()
    {
        var settings = TrackerSettings.Sqlite();
        await using var server = await TrackerProcess.StartAsync(settings);
        using var channel = GrpcChannel.ForAddress(server.GrpcAddress);
        var client = new EventService.EventServiceClient(channel);
        var first = await client.CreateEventAsync(Deployment("curl")).ResponseAsync.WaitAsync(Limit);
        var second = await client.CreateEventAsync(Deployment("curl")).ResponseAsync.WaitAsync(Limit);
        var third = await client.CreateEventAsync(Deployment("curl")).ResponseAsync.WaitAsync(Limit);

        // The stream stays open: the two changes are read as they come, then curl is stopped,
        // so no fixed wait decides what counts as arrived.
        using var curl = Process.Start(new ProcessStartInfo("curl", ["-sN", $"{server.HttpAddress}api/v1alpha1/events:watch?after_id={first.Id}"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        var lines = new List<string>();
        while (lines.Count < 2 && await curl.StandardOutput.ReadLineAsync().WaitAsync(Limit) is { } line)
        {
            if (line.Length > 0)
            {
                lines.Add(line);
            }
        }

        Assert.False(curl.HasExited, "the stream ended instead of staying open");
        curl.Kill();
        await curl.WaitForExitAsync().WaitAsync(Limit);
        Assert.Equal(2, lines.Count);
        var changes = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([second.Id, third.Id], changes.Select(c => c.GetProperty("event").GetProperty("id").GetString()));
        Assert.All(changes, c => Assert.Equal("CHANGE_TYPE_CREATED", c.GetProperty("changeType").GetString()));
        Directory.Delete(settings.DataDirectory, recursive: true);
    }

    private static CreateEventRequest Deployment(string service) => new()
    {
        Title = "Deploy " + service,
        Attributes = new EventAttributes { Type = Api.V1Alpha1.Type.Deployment, Service = service },
    };

    private static async Task<List<WatchEventsResponse>> ReadAsync(AsyncServerStreamingCall<WatchEventsResponse> watch, int count)
    {
        var received = new List<WatchEventsResponse>();
        while (received.Count < count && await watch.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Limit))
        {
            received.Add(watch.ResponseStream.Current);
        }

        return received;
    }
}
