using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Tracker.Api.V1Alpha1;

namespace Tracker.Bench.Driver;

/// <summary>
/// Scenario g: from the start of the process (dotnet Tracker.Server.dll, the Dockerfile's
/// command) to the first /healthz 200 and to the first ListEvents answered OK over gRPC, which
/// needs the store migrated and open. Runs on a new SQLite file each time (the migration
/// included), then on an existing one.
/// </summary>
internal static class Startup
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public static async Task<JsonObject> RunAsync(Options options)
    {
        var server = Path.GetFullPath(options.Get("server"));
        var runs = options.Int("runs", 10);
        var fresh = new List<(double Health, double Ready)>();
        var existing = new List<(double Health, double Ready)>();
        var reused = Directory.CreateTempSubdirectory("tracker-bench-startup-");
        try
        {
            // One start to fill the OS file cache, as any second start would find it.
            await StartOnceAsync(server, reused.FullName);
            for (var i = 0; i < runs; i++)
            {
                var directory = Directory.CreateTempSubdirectory("tracker-bench-startup-");
                try
                {
                    fresh.Add(await StartOnceAsync(server, directory.FullName));
                }
                finally
                {
                    directory.Delete(recursive: true);
                }

                existing.Add(await StartOnceAsync(server, reused.FullName));
            }
        }
        finally
        {
            reused.Delete(recursive: true);
        }

        return new JsonObject
        {
            ["tool"] = "driver",
            ["command"] = $"dotnet {Path.GetFileName(server)} (published Release), SQLite store, {runs} runs each",
            ["runs"] = runs,
            ["new_database"] = Summary(fresh),
            ["existing_database"] = Summary(existing),
            ["verified"] = true,
        };
    }

    private static JsonObject Summary(List<(double Health, double Ready)> runs)
    {
        var ready = runs.Select(r => r.Ready).Order().ToArray();
        var health = runs.Select(r => r.Health).Order().ToArray();
        return new JsonObject
        {
            ["healthz_median_ms"] = Math.Round(health[health.Length / 2], 1),
            ["ready_min_ms"] = Math.Round(ready[0], 1),
            ["ready_median_ms"] = Math.Round(ready[ready.Length / 2], 1),
            ["ready_max_ms"] = Math.Round(ready[^1], 1),
            ["ready_all_ms"] = new JsonArray(runs.Select(r => (JsonNode)Math.Round(r.Ready, 1)).ToArray()),
        };
    }

    private static async Task<(double Health, double Ready)> StartOnceAsync(string server, string directory)
    {
        var grpcPort = FreePort();
        var httpPort = FreePort();
        var start = new ProcessStartInfo("dotnet", [server])
        {
            WorkingDirectory = directory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["Kestrel__Endpoints__Grpc__Url"] = $"http://127.0.0.1:{grpcPort}";
        start.Environment["Kestrel__Endpoints__Http__Url"] = $"http://127.0.0.1:{httpPort}";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(1) }) { Timeout = TimeSpan.FromSeconds(5) };
        using var grpc = new GrpcClient(new Uri($"http://127.0.0.1:{grpcPort}"));
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the server");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var health = await UntilAsync(clock, process, async () =>
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{httpPort}/healthz");
                return response.StatusCode == HttpStatusCode.OK;
            });
            var ready = await UntilAsync(clock, process, async () =>
            {
                await grpc.CallAsync("/tracker.event.v1alpha1.EventService/ListEvents", new ListEventsRequest { PerPage = 1 }, ListEventsResponse.Parser);
                return true;
            });
            return (health, ready);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static async Task<double> UntilAsync(Stopwatch clock, Process process, Func<Task<bool>> probe)
    {
        Exception? last = null;
        while (clock.Elapsed < Limit)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with {process.ExitCode} at start-up");
            }

            try
            {
                if (await probe())
                {
                    return clock.Elapsed.TotalMilliseconds;
                }
            }
            catch (Exception e) when (e is HttpRequestException or GrpcCallException or TaskCanceledException)
            {
                // Not up yet.
                last = e;
            }

            await Task.Delay(5);
        }

        throw new TimeoutException($"the server was not ready within {Limit}; last: {last?.Message}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
