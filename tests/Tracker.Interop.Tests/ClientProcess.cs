using System.Diagnostics;

namespace Tracker.Interop.Tests;

/// <summary>What a client process printed and how it exited.</summary>
internal sealed record ClientRun(int ExitCode, string Output, string Error)
{
    /// <summary>Everything, for assertion messages.</summary>
    public override string ToString() => $"exit code {ExitCode}{Environment.NewLine}stdout:{Environment.NewLine}{Output}{Environment.NewLine}stderr:{Environment.NewLine}{Error}";
}

/// <summary>
/// Runs a third-party client to completion. A client that is not installed makes the test fail
/// (the process cannot start), never skip.
/// </summary>
internal static class ClientProcess
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    public static async Task<ClientRun> RunAsync(string fileName, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        if (Path.IsPathRooted(fileName) && !File.Exists(fileName))
        {
            throw new FileNotFoundException($"The interop client {fileName} is not installed; run build/setup.sh.", fileName);
        }

        var start = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepoPaths.Root,
        };
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"{fileName} did not start.");
        using var timeout = new CancellationTokenSource(Limit);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {Limit}.");
        }

        return new ClientRun(process.ExitCode, await output, await error);
    }
}
