using System.Net;
using System.Text;
using Grpc.Health.V1;
using Npgsql;
using Tracker.Api.V1Alpha1;
using Tracker.Testing;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Tracker.EndToEnd.Tests.Faults;

/// <summary>The outage tests' own PostgreSQL server, so it can be stopped.</summary>
public sealed class OutageCluster : ThrowawayCluster;

/// <summary>
/// With PostgreSQL stopped, Tracker fails fast with UNAVAILABLE / 503 and reports NOT_SERVING,
/// and nothing crashes; when PostgreSQL is back it recovers by itself, without a restart.
/// </summary>
public sealed class PostgresOutageTests(OutageCluster cluster) : IClassFixture<OutageCluster>
{
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Calls_PostgresStoppedThenStarted_UnavailableThenRecoverWithoutRestart()
    {
        var connection = new NpgsqlConnectionStringBuilder(await cluster.StartAsync()) { SearchPath = "outage" }.ConnectionString;
        var settings = TrackerSettings.Postgres(connection);
        await using var server = await TrackerProcess.StartAsync(settings);
        using var grpc = new TrackerGrpcClient(server.GrpcAddress);
        using var http = new HttpClient { BaseAddress = server.HttpAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var health = new GrpcTestClient(server.GrpcAddress);
        var before = (await grpc.CallAsync("CreateEvent", NewEvent(), Event.Parser)).Ok;

        await cluster.HaltAsync();

        // A deadline far longer than the store's connect timeout: UNAVAILABLE, not DEADLINE_EXCEEDED.
        var deadline = new Dictionary<string, string> { ["grpc-timeout"] = "25S" };
        Assert.Equal(14, (await grpc.CallAsync("GetEvent", new GetEventRequest { Id = before.Id }, Event.Parser, deadline)).Status);
        Assert.Equal(14, (await grpc.CallAsync("CreateEvent", NewEvent(), Event.Parser, deadline)).Status);
        using (var rest = await http.PostAsync("/api/v1alpha1/event", Json("""{"title":"during outage","attributes":{"type":1,"service":"outage"}}""")))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, rest.StatusCode);
            Assert.Contains("\"code\":14", await rest.Content.ReadAsStringAsync());
        }

        using (var ready = await http.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        Assert.Equal(ServingStatus.NotServing, await HealthAsync(health));
        Assert.False(server.HasExited);

        await cluster.StartAsync();
        await WaitUntilAsync(async () => (await grpc.CallAsync("CreateEvent", NewEvent(), Event.Parser)).Status == 0);

        Assert.Equal(before, (await grpc.CallAsync("GetEvent", new GetEventRequest { Id = before.Id }, Event.Parser)).Ok);
        using (var ready = await http.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        Assert.Equal(ServingStatus.Serving, await HealthAsync(health));
    }

    private static async Task<ServingStatus> HealthAsync(GrpcTestClient client)
    {
        var result = await client.CallAsync("/grpc.health.v1.Health/Check", new HealthCheckRequest()).WaitAsync(TimeSpan.FromSeconds(30));
        return result.Single(HealthCheckResponse.Parser).Status;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var giveUp = DateTimeOffset.UtcNow + RecoveryBound;
        while (!await condition())
        {
            Assert.True(DateTimeOffset.UtcNow < giveUp, $"Tracker did not recover within {RecoveryBound} of PostgreSQL starting again.");
            await Task.Delay(250);
        }
    }

    private static CreateEventRequest NewEvent() => new()
    {
        Title = "Deploy during outage test",
        Attributes = new EventAttributes { Type = Api.V1Alpha1.Type.Deployment, Service = "outage" },
    };

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
