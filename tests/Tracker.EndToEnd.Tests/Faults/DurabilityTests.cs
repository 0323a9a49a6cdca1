using System.Collections.Concurrent;
using Npgsql;
using Tracker.Api.V1Alpha1;
using Tracker.Testing;

namespace Tracker.EndToEnd.Tests.Faults;

/// <summary>
/// Every event whose CreateEvent returned OK is still there after the server process is killed
/// with SIGKILL in the middle of a burst of creates, and started again on the same data.
/// </summary>
public abstract class DurabilityTests
{
    private const int Writers = 16;
    private const int AcknowledgedBeforeKill = 300;

    protected abstract TrackerSettings CreateSettings();

    protected virtual Task CleanUpAsync(TrackerSettings settings) => Task.CompletedTask;

    [Fact]
    public async Task CreateEvent_ServerKilledMidBurst_EveryAcknowledgedEventSurvivesRestart()
    {
        var settings = CreateSettings();
        try
        {
            var acknowledged = await CreateUntilKilledAsync(settings);

            await using var restarted = await TrackerProcess.StartAsync(settings);
            using var client = new TrackerGrpcClient(restarted.GrpcAddress);
            foreach (var id in acknowledged)
            {
                var reply = await client.CallAsync("GetEvent", new GetEventRequest { Id = id }, Event.Parser);
                Assert.True(reply.Status == 0, $"Acknowledged event {id} is missing after the restart: {reply.Status} {reply.Raw.Message}");
            }
        }
        finally
        {
            await CleanUpAsync(settings);
        }
    }

    private static async Task<IReadOnlyCollection<string>> CreateUntilKilledAsync(TrackerSettings settings)
    {
        var acknowledged = new ConcurrentBag<string>();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TrackerProcess.StartAsync(settings);
        using var client = new TrackerGrpcClient(server.GrpcAddress);

        async Task WriteAsync(int writer)
        {
            for (var i = 0; ; i++)
            {
                Reply<Event> reply;
                try
                {
                    var request = new CreateEventRequest
                    {
                        Title = $"burst {writer}/{i}",
                        Attributes = new EventAttributes { Type = Api.V1Alpha1.Type.Deployment, Service = "durability" },
                    };
                    reply = await client.CallAsync("CreateEvent", request, Event.Parser);
                }
                catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException or TimeoutException)
                {
                    return; // The server is gone: calls in flight were never acknowledged.
                }

                if (reply.Status == 0)
                {
                    acknowledged.Add(reply.Ok.Id);
                    if (acknowledged.Count >= AcknowledgedBeforeKill)
                    {
                        enough.TrySetResult();
                    }
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

public sealed class SqliteDurabilityTests : DurabilityTests
{
    protected override TrackerSettings CreateSettings() => TrackerSettings.Sqlite();

    protected override Task CleanUpAsync(TrackerSettings settings)
    {
        Directory.Delete(settings.DataDirectory, recursive: true);
        return Task.CompletedTask;
    }
}

public sealed class PostgresDurabilityTests : DurabilityTests
{
    private readonly string _schema = "durability_" + Guid.NewGuid().ToString("N")[..12];

    protected override TrackerSettings CreateSettings() =>
        TrackerSettings.Postgres(new NpgsqlConnectionStringBuilder(PostgresTrackerFixture.ConnectionString) { SearchPath = _schema }.ConnectionString);

    protected override async Task CleanUpAsync(TrackerSettings settings)
    {
        Directory.Delete(settings.DataDirectory, recursive: true);
        await using var connection = new NpgsqlConnection(PostgresTrackerFixture.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
