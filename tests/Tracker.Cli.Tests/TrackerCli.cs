using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace Tracker.Cli.Tests;

/// <summary>
/// Runs the installed <c>tracker</c> as a pipeline step would: a process with TRACKER_URL (and
/// TRACKER_API_KEY when given) in its environment, and nothing else of the machine's Tracker settings.
/// </summary>
public sealed class TrackerCli(Uri url, string? apiKey = null)
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(60);

    public async Task<CliResult> RunAsync(params string[] arguments)
    {
        using var process = await StartAsync(arguments);
        return await process.WaitAsync(RunLimit);
    }

    /// <summary>Starts the tool and returns at once, for a watch that is stopped from outside.</summary>
    public async Task<RunningCli> StartAsync(params string[] arguments)
    {
        var executable = await InstalledTool.PathAsync();
        // SIGINT back to its default: a process started with it ignored (a background job of a
        // non-interactive shell) passes that on, and the tool would never see Ctrl+C.
        var start = new ProcessStartInfo("env", ["--default-signal=INT", executable, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment.Remove("TRACKER_URL");
        start.Environment.Remove("TRACKER_API_KEY");
        start.Environment["TRACKER_URL"] = url.ToString();
        if (apiKey is not null)
        {
            start.Environment["TRACKER_API_KEY"] = apiKey;
        }

        // The tool's apphost finds the runtime the tests run on, wherever it is installed.
        start.Environment["DOTNET_ROOT"] = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "../../.."));
        return new RunningCli(Process.Start(start)!);
    }
}

/// <summary>A tool process whose output is read as it comes.</summary>
public sealed class RunningCli : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly Task<string> _stderr;

    public RunningCli(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _stderr = _process.StandardError.ReadToEndAsync();
    }

    /// <summary>What the tool wrote on stdout so far.</summary>
    public string Lines => string.Join('\n', _lines);

    /// <summary>Whether the tool has written at least <paramref name="count"/> lines on stdout.</summary>
    public bool HasLines(int count) => _lines.Count >= count;

    /// <summary>Waits until the tool has written <paramref name="count"/> lines on stdout.</summary>
    public async Task WaitForLinesAsync(int count, TimeSpan limit)
    {
        var stopwatch = Stopwatch.StartNew();
        while (_lines.Count < count)
        {
            if (_process.HasExited)
            {
                // The last lines may still be on their way to the handler: wait for the streams' end.
                await _process.WaitForExitAsync();
                if (_lines.Count >= count)
                {
                    break;
                }

                Assert.Fail($"tracker exited with {_process.ExitCode} after {_lines.Count} lines: {await _stderr}");
            }

            Assert.True(stopwatch.Elapsed < limit, $"tracker wrote {_lines.Count} of {count} lines within {limit}.");
            await Task.Delay(50);
        }
    }

    /// <summary>Sends SIGINT, as Ctrl+C in a terminal does.</summary>
    public async Task InterruptAsync()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async Task<CliResult> WaitAsync(TimeSpan limit)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            throw;
        }

        // WaitForExitAsync returns once the redirected streams reach their end too.
        return new CliResult(_process.ExitCode, string.Join('\n', _lines), await _stderr);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}

public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>stdout as one JSON document.</summary>
    public JsonElement Json => JsonDocument.Parse(Stdout).RootElement;

    /// <summary>stdout as one JSON document per line (a watch).</summary>
    public IReadOnlyList<JsonElement> JsonLines =>
        Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();

    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}
