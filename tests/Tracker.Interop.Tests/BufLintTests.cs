using System.Reflection;

namespace Tracker.Interop.Tests;

/// <summary>
/// The API contract passes buf lint with the repository's buf.yaml (STANDARD rules). The API
/// imports google/api/annotations.proto, which the JSON transcoding package ships rather than the
/// repository, so the lint runs on a copy of protos/ with the package's google/api beside it,
/// as Grpc.Tools compiles them (IncludeHttpRuleProtos).
/// </summary>
public sealed class BufLintTests
{
    [Fact]
    public async Task BufLint_ApiProtosWithPackagedImports_Passes()
    {
        var workspace = Directory.CreateTempSubdirectory("tracker-buf-lint-").FullName;
        try
        {
            File.Copy(Path.Combine(RepoPaths.Root, "buf.yaml"), Path.Combine(workspace, "buf.yaml"));
            CopyTree(RepoPaths.Protos, Path.Combine(workspace, "protos"));
            CopyTree(Path.Combine(HttpRuleProtos(), "google"), Path.Combine(workspace, "protos", "google"));

            var run = await ClientProcess.RunAsync(RepoPaths.Buf, ["lint"], workspace);

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal("", run.Output.Trim());
        }
        finally
        {
            Directory.Delete(workspace, recursive: true);
        }
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

    private static string HttpRuleProtos() =>
        typeof(BufLintTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "HttpRuleProtos").Value!;

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*.proto", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
