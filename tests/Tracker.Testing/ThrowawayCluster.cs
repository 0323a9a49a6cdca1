using System.Diagnostics;
using Xunit;

namespace Tracker.Testing;

/// <summary>
/// A PostgreSQL server of the test's own, made with build/postgres-test-server.sh in a fresh
/// directory, so that the test can stop and start it without disturbing other tests. It listens on
/// a Unix socket in that directory, not on a TCP port: a port can be taken by another process (an
/// outgoing connection holds ports of the kernel's ephemeral range) while the server is halted,
/// a socket path of the test's own cannot, so the server always starts again at the same address.
/// </summary>
public class ThrowawayCluster : IAsyncLifetime
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(120);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tracker-pg-" + Guid.NewGuid().ToString("N")[..12]);

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync() => ConnectionString = await StartAsync();

    public async Task DisposeAsync() => await RunScriptAsync("stop");

    /// <summary>Starts the server (again), at the same socket as before; returns its connection string.</summary>
    public async Task<string> StartAsync()
    {
        const string Prefix = "export TRACKER_TEST_POSTGRES='";
        var output = (await RunScriptAsync("start")).Trim();
        if (!output.StartsWith(Prefix, StringComparison.Ordinal) || !output.EndsWith('\''))
        {
            throw new InvalidOperationException($"postgres-test-server.sh printed an unexpected line: {output}");
        }

        return output[Prefix.Length..^1];
    }

    /// <summary>Stops the server with pg_ctl's fast mode, keeping its data.</summary>
    public Task HaltAsync() => RunScriptAsync("halt");

    private async Task<string> RunScriptAsync(string command)
    {
        var script = Path.Combine(RepositoryRoot(), "build", "postgres-test-server.sh");
        var start = new ProcessStartInfo("bash", [script, command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["TRACKER_PG_TEST_DIR"] = _directory;
        start.Environment["TRACKER_PG_TEST_SOCKET"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start bash.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(ScriptTimeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"postgres-test-server.sh {command} failed ({process.ExitCode}): {await stderr}");
        }

        return await stdout;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "build", "postgres-test-server.sh")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No build/postgres-test-server.sh above {AppContext.BaseDirectory}.");
    }
}
