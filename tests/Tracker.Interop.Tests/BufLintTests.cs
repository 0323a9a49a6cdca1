using System.Reflection;
using System.Text.Json;

namespace Tracker.Interop.Tests;

/// <summary>
/// The API contract passes buf lint (the repository's buf.yaml, STANDARD rules) and buf build from
/// the repository root, as the README says. The API imports google/api/annotations.proto, which
/// the JSON transcoding package ships rather than the repository: build/google-api-protos.sh
/// (run by build/setup.sh) places the package's own copies in protos/google, git-ignored.
/// </summary>
public sealed class BufLintTests
{
    [Fact]
    public async Task BufLint_RepositoryRoot_Passes()
    {
        RequireGoogleApiProtos();

        var run = await ClientProcess.RunAsync(RepoPaths.Buf, ["lint"], RepoPaths.Root);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Output.Trim());
    }

    [Fact]
    public async Task BufBuild_RepositoryRoot_ImageHoldsTheApiAndItsImports()
    {
        RequireGoogleApiProtos();
        var image = Path.Combine(Path.GetTempPath(), $"tracker-buf-build-{Guid.NewGuid():N}.json");
        try
        {
            var run = await ClientProcess.RunAsync(RepoPaths.Buf, ["build", "-o", image], RepoPaths.Root);

            Assert.True(run.ExitCode == 0, run.ToString());
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(image));
            var files = json.RootElement.GetProperty("file").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToArray();
            Assert.Contains("tracker/event/v1alpha1/event_service.proto", files);
            Assert.Contains("google/api/annotations.proto", files);
        }
        finally
        {
            File.Delete(image);
        }
    }

    [Theory]
    [InlineData("annotations.proto")]
    [InlineData("http.proto")]
    public async Task GoogleApiProtos_PlacedBySetup_AreTheTranscodingPackagesOwn(string name)
    {
        RequireGoogleApiProtos();

        var placed = await File.ReadAllBytesAsync(Path.Combine(GoogleApi, name));
        var packaged = await File.ReadAllBytesAsync(Path.Combine(HttpRuleProtos(), "google", "api", name));

        Assert.Equal(packaged, placed);
    }

    [Fact]
    public async Task BufLint_ProtoBreakingAStandardRule_FailsNamingIt()
    {
        var workspace = Directory.CreateTempSubdirectory("tracker-buf-lint-").FullName;
        try
        {
            File.Copy(Path.Combine(RepoPaths.Root, "buf.yaml"), Path.Combine(workspace, "buf.yaml"));
            var bad = Path.Combine(workspace, "protos", "tracker", "bad", "v1");
            Directory.CreateDirectory(bad);
            await File.WriteAllTextAsync(Path.Combine(bad, "bad.proto"), "syntax = \"proto3\";\npackage tracker.bad.v1;\nenum Color { RED = 0; }\n");

            var run = await ClientProcess.RunAsync(RepoPaths.Buf, ["lint"], workspace);

            Assert.NotEqual(0, run.ExitCode);
            Assert.Contains("bad.proto:3:14:Enum value name \"RED\" should be prefixed with \"COLOR_\"", run.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(workspace, recursive: true);
        }
    }

    private static string GoogleApi => Path.Combine(RepoPaths.Protos, "google", "api");

    private static void RequireGoogleApiProtos()
    {
        if (!File.Exists(Path.Combine(GoogleApi, "annotations.proto")))
        {
            throw new InvalidOperationException($"{GoogleApi} has no annotations.proto; run build/setup.sh (build/google-api-protos.sh).");
        }
    }

    private static string HttpRuleProtos() =>
        typeof(BufLintTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "HttpRuleProtos").Value!;
}
