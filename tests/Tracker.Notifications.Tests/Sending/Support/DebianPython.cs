using System.Diagnostics;

namespace Tracker.Notifications.Tests.Sending.Support;

/// <summary>Debian's /usr/bin/python3 (with python3-aiosmtpd, build/setup.sh), running the scripts in Sending/Python.</summary>
public static class DebianPython
{
    public const string Executable = "/usr/bin/python3";

    public static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "Sending", "Python", name);

    public static ProcessStartInfo StartInfo(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Script(script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>Runs a script to its end with <paramref name="input"/> on stdin; its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string script, string input, params string[] arguments)
    {
        using var process = Process.Start(StartInfo(script, arguments))!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, (await output) + (await error));
    }
}
