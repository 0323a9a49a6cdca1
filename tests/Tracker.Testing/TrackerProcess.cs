using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Tracker.Testing;

/// <summary>
/// The real Tracker server as a child process (the Tracker.Server build next to the tests),
/// on 127.0.0.1 and free ports, with its own data directory. It can be killed with SIGKILL and
/// started again on the same data, as an operator would.
/// </summary>
public sealed class TrackerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private TrackerProcess(Process process, ConcurrentQueue<string> output, Uri grpc, Uri http, TrackerSettings settings)
    {
        _process = process;
        _output = output;
        GrpcAddress = grpc;
        HttpAddress = http;
        Settings = settings;
    }

    /// <summary>The gRPC-only (HTTP/2) endpoint.</summary>
    public Uri GrpcAddress { get; }

    /// <summary>The REST endpoint (HTTP/1.1 and h2c).</summary>
    public Uri HttpAddress { get; }

    public TrackerSettings Settings { get; }

    /// <summary>What the server wrote to stdout and stderr so far.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    public bool HasExited => _process.HasExited;

    public static async Task<TrackerProcess> StartAsync(TrackerSettings settings)
    {
        var grpcPort = FreePort();
        var httpPort = FreePort();
        var server = Path.Combine(AppContext.BaseDirectory, "Tracker.Server.dll");
        // SIGINT back to its default: a process started with it ignored (a background job of a
        // non-interactive shell, or an MSBuild node reused from one) passes that on to its
        // children, and .NET then never sees the Ctrl-C the shutdown tests send.
        var start = new ProcessStartInfo("env", ["--default-signal=INT", "dotnet", server])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = settings.DataDirectory,
            UseShellExecute = false,
        };
        start.Environment["Kestrel__Endpoints__Grpc__Url"] = $"http://127.0.0.1:{grpcPort}";
        start.Environment["Kestrel__Endpoints__Http__Url"] = $"http://127.0.0.1:{httpPort}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings.Environment)
        {
            start.Environment[key] = value;
        }

        var output = new ConcurrentQueue<string>();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var tracker = new TrackerProcess(process, output, new Uri($"http://127.0.0.1:{grpcPort}"), new Uri($"http://127.0.0.1:{httpPort}"), settings);
        await tracker.WaitUntilAliveAsync();
        return tracker;
    }

    /// <summary>Ends the process at once, as a crash or an OOM kill would (SIGKILL).</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().WaitAsync(StartLimit);
    }

    /// <summary>Asks the process to stop as Ctrl-C does (SIGINT) and waits for it; returns its exit code.</summary>
    public async Task<int> InterruptAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync().WaitAsync(StartLimit);
        }

        try
        {
            await _process.WaitForExitAsync().WaitAsync(StartLimit);
        }
        catch (TimeoutException e)
        {
            // Say what the server was doing when it would not stop.
            throw new TimeoutException($"Tracker did not exit within {StartLimit.TotalSeconds:F0} s of SIGINT. Its output:{Environment.NewLine}{Output}", e);
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private async Task WaitUntilAliveAsync()
    {
        using var http = new HttpClient { BaseAddress = HttpAddress, Timeout = TimeSpan.FromSeconds(2) };
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < StartLimit)
        {
            if (_process.HasExited)
            {
                // HasExited can be true before the last lines of output have been handed to the
                // handlers; WaitForExitAsync also waits for the redirected streams to end.
                await _process.WaitForExitAsync().WaitAsync(StartLimit);
                throw new InvalidOperationException($"Tracker exited with code {_process.ExitCode} at start-up:{Environment.NewLine}{Output}");
            }

            try
            {
                using var response = await http.GetAsync("/healthz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Tracker did not answer /healthz within {StartLimit}:{Environment.NewLine}{Output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Where a Tracker process keeps its data and how it is configured.</summary>
public sealed class TrackerSettings
{
    /// <summary>The working directory; the SQLite file defaults to data/tracker.db below it.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Extra environment variables, e.g. Storage__Provider=Postgres.</summary>
    public Dictionary<string, string> Environment { get; init; } = [];

    public static TrackerSettings Sqlite()
    {
        var directory = Path.Combine(Path.GetTempPath(), "tracker-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return new TrackerSettings { DataDirectory = directory };
    }

    public static TrackerSettings Postgres(string connectionString)
    {
        var settings = Sqlite();
        settings.Environment["Storage__Provider"] = "Postgres";
        settings.Environment["ConnectionStrings__Postgres"] = connectionString;
        return settings;
    }
}
