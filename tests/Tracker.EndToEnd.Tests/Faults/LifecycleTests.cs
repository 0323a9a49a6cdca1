using Npgsql;
using Tracker.Api.V1Alpha1;
using Tracker.Testing;

namespace Tracker.EndToEnd.Tests.Faults;

/// <summary>How the process starts and stops, and how several processes share one database.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public async Task Server_CtrlCWithOpenHealthWatch_StopsCleanly()
    {
        var settings = TrackerSettings.Sqlite();
        await using var server = await TrackerProcess.StartAsync(settings);
        using var client = new GrpcTestClient(server.GrpcAddress);
        var readWatch = await client.OpenAsync("/grpc.health.v1.Health/Watch", new global::Grpc.Health.V1.HealthCheckRequest()).WaitAsync(TimeSpan.FromSeconds(30));

        var exitCode = await server.InterruptAsync();

        Assert.Equal(0, exitCode);
        var result = await readWatch().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, result.Status);
        Directory.Delete(settings.DataDirectory, recursive: true);
    }

    [Theory]
    [InlineData("Limits__QueueLength", "abc", "Tracker cannot start: Failed to convert configuration value 'abc' at 'Limits:QueueLength'")]
    [InlineData("Limits__MaxConcurrentWrites", "0", "Tracker cannot start: Limits:MaxConcurrentWrites must be at least 1.")]
    [InlineData("Auth__Mode", "Basic", "Tracker cannot start: Auth:Mode must be None, ApiKey, Jwt or ApiKey,Jwt, not 'Basic'.")]
    public async Task Server_BadSetting_ExitsWithCode2AndOneLineNamingIt(string name, string value, string line)
    {
        var settings = TrackerSettings.Sqlite();
        settings.Environment[name] = value;

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => TrackerProcess.StartAsync(settings));

        Assert.Contains("Tracker exited with code 2 at start-up", failure.Message, StringComparison.Ordinal);
        Assert.Contains(line, failure.Message, StringComparison.Ordinal);
        // The reason alone: no host error with a stack trace before it.
        Assert.DoesNotContain("Hosting failed to start", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", failure.Message, StringComparison.Ordinal);
        Directory.Delete(settings.DataDirectory, recursive: true);
    }

    [Fact]
    public async Task Server_HttpPortInUse_ExitsWithCode2AndOneLineNamingTheAddress()
    {
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        var address = $"http://127.0.0.1:{((System.Net.IPEndPoint)holder.LocalEndpoint).Port}";
        var settings = TrackerSettings.Sqlite();
        settings.Environment["Kestrel__Endpoints__Http__Url"] = address;

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => TrackerProcess.StartAsync(settings));

        Assert.Contains("Tracker exited with code 2 at start-up", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"Tracker cannot start: Failed to bind to address {address}: address already in use.", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Kestrel:Endpoints:Http:Url", failure.Message, StringComparison.Ordinal);
        Directory.Delete(settings.DataDirectory, recursive: true);
    }

    [Fact]
    public async Task TwoReplicas_OnePostgresSchema_BehaveAsOneService()
    {
        var schema = "replicas_" + Guid.NewGuid().ToString("N")[..12];
        var connection = new NpgsqlConnectionStringBuilder(PostgresTrackerFixture.ConnectionString) { SearchPath = schema }.ConnectionString;
        try
        {
            // Started together, so their start-up migrations race.
            var starting = new[] { TrackerProcess.StartAsync(TrackerSettings.Postgres(connection)), TrackerProcess.StartAsync(TrackerSettings.Postgres(connection)) };
            await using var first = await starting[0];
            await using var second = await starting[1];
            using var a = new TrackerGrpcClient(first.GrpcAddress);
            using var b = new TrackerGrpcClient(second.GrpcAddress);

            var request = new CreateEventRequest
            {
                Title = "Deploy",
                RequestId = Guid.NewGuid().ToString(),
                Attributes = new EventAttributes { Type = Api.V1Alpha1.Type.Deployment, Service = "replicas" },
            };
            var created = (await a.CallAsync("CreateEvent", request, Event.Parser)).Ok;
            Assert.Equal(created, (await b.CallAsync("CreateEvent", request, Event.Parser)).Ok);
            Assert.Equal(created, (await b.CallAsync("GetEvent", new GetEventRequest { Id = created.Id }, Event.Parser)).Ok);

            var updates = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
                (i % 2 == 0 ? a : b).CallAsync("UpdateEvent", new UpdateEventRequest { Id = created.Id, Etag = created.Etag, Title = $"writer {i}" }, Event.Parser)));
            Assert.Single(updates, u => u.Status == 0);
            Assert.All(updates.Where(u => u.Status != 0), u => Assert.Equal(10, u.Status));

            var search = (await a.CallAsync("SearchEvents", new SearchEventsRequest { Service = "replicas" }, SearchEventsResponse.Parser)).Ok;
            Assert.Equal(1, search.TotalCount);
        }
        finally
        {
            await using var admin = new NpgsqlConnection(PostgresTrackerFixture.ConnectionString);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
