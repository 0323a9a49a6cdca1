namespace Tracker.Interop.Tests;

/// <summary>
/// The README's "Clients in other languages", run as written: examples/clients/generate.sh
/// generates each client from protos/ into a new directory (a user's project), the example client
/// is put beside the generated code, and it creates, gets, searches and watches against the real
/// server. Python: Debian's protoc and grpc plugin, python3-grpcio. TypeScript: buf with
/// @bufbuild/protoc-gen-es, @connectrpc/connect-node, run by tsx (pinned in tests/interop).
/// </summary>
[Collection(TrackerServerCollection.Name)]
public sealed class GeneratedClientsInteropTests(TrackerServerFixture server)
{
    private static string Examples => Path.Combine(RepoPaths.Root, "examples", "clients");

    [Fact]
    public async Task PythonClient_GeneratedByProtoc_CreatesGetsSearchesAndWatches()
    {
        var project = Directory.CreateTempSubdirectory("tracker-python-client-").FullName;
        try
        {
            await GenerateAsync("python", project);
            File.Copy(Path.Combine(Examples, "python", "tracker_client.py"), Path.Combine(project, "tracker_client.py"));
            var service = "generated-python-" + Guid.NewGuid().ToString("N");

            var run = await ClientProcess.RunAsync("/usr/bin/python3", ["tracker_client.py", server.GrpcTarget, service], project);

            AssertCreatedGotFoundWatched(run);
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }

    [Fact]
    public async Task TypeScriptClient_GeneratedByProtocGenEs_CreatesGetsSearchesAndWatches()
    {
        var project = Directory.CreateTempSubdirectory("tracker-typescript-client-").FullName;
        try
        {
            await GenerateAsync("typescript", project);
            File.Copy(Path.Combine(Examples, "typescript", "tracker_client.ts"), Path.Combine(project, "tracker_client.ts"));
            // The project's dependencies are the pinned ones of tests/interop, as `npm install` would put them.
            Directory.CreateSymbolicLink(Path.Combine(project, "node_modules"), Path.Combine(RepoPaths.Interop, "node_modules"));
            var service = "generated-typescript-" + Guid.NewGuid().ToString("N");

            var run = await ClientProcess.RunAsync(
                Path.Combine(RepoPaths.Interop, "node_modules", ".bin", "tsx"), ["tracker_client.ts", server.GrpcUrl.ToString().TrimEnd('/'), service], project);

            AssertCreatedGotFoundWatched(run);
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }

    private static async Task GenerateAsync(string language, string outDirectory)
    {
        var run = await ClientProcess.RunAsync("bash", [Path.Combine(Examples, "generate.sh"), language, outDirectory]);
        Assert.True(run.ExitCode == 0, $"generate.sh {language}: {run}");
    }

    /// <summary>Both clients print the same four lines: what they created, got, found and watched.</summary>
    private void AssertCreatedGotFoundWatched(ClientRun run)
    {
        Assert.True(run.ExitCode == 0, $"{run}{Environment.NewLine}server:{Environment.NewLine}{server.ServerOutput}");
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var id = Assert.Single(lines, line => line.StartsWith("created ", StringComparison.Ordinal))["created ".Length..];
        Assert.True(Guid.TryParse(id, out _), run.ToString());
        Assert.Equal(
            [
                $"created {id}",
                $"got {id} Deploy api v3.2.0",
                $"found 1 {id}",
                $"watched CHANGE_TYPE_UPDATED {id} STATUS_SUCCESS",
            ],
            lines);
    }
}
