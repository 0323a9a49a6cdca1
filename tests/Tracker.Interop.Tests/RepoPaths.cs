namespace Tracker.Interop.Tests;

/// <summary>Where the repository's files are, found from the test binaries upwards.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Protos => Path.Combine(Root, "protos");

    public static string Interop => Path.Combine(Root, "tests", "interop");

    /// <summary>The pinned buf from tests/interop/package.json (installed by build/setup.sh).</summary>
    public static string Buf => Path.Combine(Interop, "node_modules", ".bin", "buf");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Tracker.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Tracker.sln above {AppContext.BaseDirectory}.");
    }
}
