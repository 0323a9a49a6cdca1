using System.Diagnostics;
using System.Text.Json;

namespace Tracker.EndToEnd.Tests.Rest;

/// <summary>
/// Runs a shell command with the real curl. A private .curlrc adds --silent and a last line with
/// the HTTP status, so the commands themselves stay exactly as documented.
/// </summary>
public sealed class CurlRunner : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("tracker-curl-").FullName;

    public CurlRunner()
    {
        File.WriteAllText(Path.Combine(_home, ".curlrc"), "silent\nshow-error\nwrite-out = \"\\n%{http_code}\"\n");
    }

    public async Task<CurlResult> RunAsync(string command)
    {
        var start = new ProcessStartInfo("bash", ["-c", command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["CURL_HOME"] = _home;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var output = (await stdout).TrimEnd();
        var newline = output.LastIndexOf('\n');
        var status = int.Parse(output[(newline + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var body = newline < 0 ? "" : output[..newline];
        return new CurlResult(process.ExitCode, status, body, await stderr);
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);
}

public sealed record CurlResult(int ExitCode, int HttpStatus, string Body, string Error)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public override string ToString() => $"exit {ExitCode}, HTTP {HttpStatus}: {Body} {Error}";
}
