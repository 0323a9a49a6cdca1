using System.Text.Json;
using Tracker.Testing;

namespace Tracker.Interop.Tests;

/// <summary>
/// The real server with one read slot and no queue (issue 13's overload refusals) against Debian's
/// python3-grpcio (tests/interop/python_overload.py): a burst gets only OK or RESOURCE_EXHAUSTED
/// with a 1,000 ms grpc-retry-pushback-ms, and a client whose retry policy covers
/// RESOURCE_EXHAUSTED waits that pushback and gets every call served.
/// </summary>
public sealed class OverloadInteropTests : IAsyncLifetime
{
    private TrackerSettings? _settings;
    private TrackerProcess? _server;

    public async Task InitializeAsync()
    {
        _settings = TrackerSettings.Sqlite();
        _settings.Environment["Limits__MaxConcurrentRequests"] = "1";
        _settings.Environment["Limits__QueueLength"] = "0";
        _server = await TrackerProcess.StartAsync(_settings);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_settings is not null)
        {
            Directory.Delete(_settings.DataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task PythonGrpcio_BurstPastTheSlot_RefusedWithPushbackAndARetryPolicyGetsEveryCallServed()
    {
        var target = $"{_server!.GrpcAddress.Host}:{_server.GrpcAddress.Port}";

        var run = await ClientProcess.RunAsync("/usr/bin/python3", [Path.Combine(RepoPaths.Interop, "python_overload.py"), target]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var result = JsonDocument.Parse(run.Output).RootElement;
        var withoutRetry = result.GetProperty("without_retry").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        Assert.Equal(20, withoutRetry.Values.Sum());
        Assert.Subset(new HashSet<string> { "OK", "RESOURCE_EXHAUSTED" }, withoutRetry.Keys.ToHashSet());
        Assert.True(withoutRetry.GetValueOrDefault("RESOURCE_EXHAUSTED") > 0, run.ToString());
        Assert.Equal(["1000"], result.GetProperty("pushbacks").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("""{"OK":4}""", result.GetProperty("with_retry").GetRawText().Replace(" ", "", StringComparison.Ordinal));
    }
}
