using System.Text.Json;

namespace Tracker.Interop.Tests;

/// <summary>
/// The real server with one read slot and no queue (the overload refusals of README's "Limits") against Debian's
/// python3-grpcio (tests/interop/python_overload.py): a burst gets only OK or RESOURCE_EXHAUSTED
/// with a 1,000 ms grpc-retry-pushback-ms, and a client whose retry policy covers
/// RESOURCE_EXHAUSTED waits that pushback and gets every call served.
/// </summary>
public sealed class OverloadInteropTests(OverloadInteropTests.OneReadSlot server) : IClassFixture<OverloadInteropTests.OneReadSlot>
{
    [Fact]
    public async Task PythonGrpcio_BurstPastTheSlot_RefusedWithPushbackAndARetryPolicyGetsEveryCallServed()
    {
        var run = await ClientProcess.RunAsync("/usr/bin/python3", [Path.Combine(RepoPaths.Interop, "python_overload.py"), server.GrpcTarget]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var result = JsonDocument.Parse(run.Output).RootElement;
        var withoutRetry = result.GetProperty("without_retry").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        Assert.Equal(20, withoutRetry.Values.Sum());
        Assert.Subset(new HashSet<string> { "OK", "RESOURCE_EXHAUSTED" }, withoutRetry.Keys.ToHashSet());
        Assert.True(withoutRetry.GetValueOrDefault("RESOURCE_EXHAUSTED") > 0, run.ToString());
        Assert.Equal(["1000"], result.GetProperty("pushbacks").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("""{"OK":4}""", result.GetProperty("with_retry").GetRawText().Replace(" ", "", StringComparison.Ordinal));
    }

    /// <summary>The server with one read slot and no queue.</summary>
    public sealed class OneReadSlot() : TrackerServerFixture(new Dictionary<string, string>
    {
        ["Limits__MaxConcurrentRequests"] = "1",
        ["Limits__QueueLength"] = "0",
    });
}
