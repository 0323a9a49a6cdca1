namespace Tracker.Interop.Tests;

/// <summary>The API contract passes buf lint (buf.yaml at the repo root, STANDARD rules).</summary>
public sealed class BufLintTests
{
    [Fact]
    public async Task BufLint_RepoRoot_Passes()
    {
        var run = await ClientProcess.RunAsync(RepoPaths.Buf, ["lint"], RepoPaths.Root);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Output.Trim());
    }
}
