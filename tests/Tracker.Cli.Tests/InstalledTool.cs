using System.Diagnostics;
using System.Reflection;

namespace Tracker.Cli.Tests;

/// <summary>
/// The tracker tool as a user installs it: Tracker.Cli packed (dotnet pack, of the build the test
/// run made) into a temporary directory, then installed from there with
/// <c>dotnet tool install --tool-path &lt;dir&gt; --add-source &lt;dir&gt; Tracker.Cli</c>, as the README
/// says. Done once per test run; everything lands in a temporary directory, none in the work tree
/// but for the project's own bin/ and obj/.
/// </summary>
public static class InstalledTool
{
    private static readonly TimeSpan InstallLimit = TimeSpan.FromMinutes(3);
    private static readonly Lazy<Task<string>> Executable = new(InstallAsync);

    /// <summary>The path of the installed <c>tracker</c> executable.</summary>
    public static Task<string> PathAsync() => Executable.Value;

    private static async Task<string> InstallAsync()
    {
        var project = Metadata("TrackerCliProject");
        var root = Directory.CreateTempSubdirectory("tracker-cli-tool-").FullName;
        // The package, the tool and its package cache live as long as the test run.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(root, recursive: true);
        var packages = Path.Combine(root, "nupkg");
        var tools = Path.Combine(root, "tools");

        await RunAsync("dotnet", ["pack", project, "--no-build", "-c", Metadata("TrackerCliConfiguration"), "-o", packages], Path.GetDirectoryName(project)!);

        // Only the local package source, and a package cache of its own: the tool comes from this
        // run's package, never from a registry or from a cached earlier build of the same version.
        var config = Path.Combine(root, "nuget.config");
        await File.WriteAllTextAsync(config, """
            <?xml version="1.0" encoding="utf-8"?>
            <configuration><packageSources><clear /></packageSources></configuration>
            """);
        await RunAsync(
            "dotnet",
            ["tool", "install", "--tool-path", tools, "--configfile", config, "--add-source", packages, "Tracker.Cli"],
            root,
            new() { ["NUGET_PACKAGES"] = Path.Combine(root, "cache") });

        var executable = Path.Combine(tools, "tracker");
        Assert.True(File.Exists(executable), $"dotnet tool install did not create {executable}.");
        return executable;
    }

    private static async Task RunAsync(string command, string[] arguments, string directory, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(command, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment ?? [])
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(InstallLimit);
        Assert.True(process.ExitCode == 0, $"{command} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
    }

    private static string Metadata(string key) =>
        typeof(InstalledTool).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
