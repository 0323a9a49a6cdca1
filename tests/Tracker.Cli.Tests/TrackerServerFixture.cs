using System.Security.Cryptography;
using System.Text;
using Tracker.Testing;

namespace Tracker.Cli.Tests;

/// <summary>One real Tracker process on SQLite, shared by the tests of a class, with the given settings.</summary>
public abstract class TrackerServerFixture(Dictionary<string, string> environment) : IAsyncLifetime
{
    public TrackerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var settings = TrackerSettings.Sqlite();
        foreach (var (key, value) in environment)
        {
            settings.Environment[key] = value;
        }

        // Packing and installing the tool while the server starts: both are needed by every test.
        var install = InstalledTool.PathAsync();
        Server = await TrackerProcess.StartAsync(settings);
        await install;
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(Server.Settings.DataDirectory, recursive: true);
    }
}

/// <summary>Authentication off, as on a laptop.</summary>
public sealed class OpenServerFixture() : TrackerServerFixture([]);

/// <summary>API keys required: <see cref="Key"/> may read and write the events of services ci-*.</summary>
public sealed class SecuredServerFixture() : TrackerServerFixture(new Dictionary<string, string>
{
    ["Auth__Mode"] = "ApiKey",
    ["Auth__ApiKeys__pipeline__Hash"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key))),
    ["Auth__ApiKeys__pipeline__Scopes__0"] = "events:read",
    ["Auth__ApiKeys__pipeline__Scopes__1"] = "events:write",
    ["Auth__ApiKeys__pipeline__Services__0"] = "ci-*",
})
{
    public const string Key = "trk_cli_tests_key";
}
