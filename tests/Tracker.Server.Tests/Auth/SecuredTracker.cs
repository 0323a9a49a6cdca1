using System.Security.Cryptography;
using System.Text;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.Auth;

/// <summary>
/// Tracker with Auth:Mode "ApiKey,Jwt": seven API keys (reader, deleter, payments limited to
/// "payments-*", payments-writer limited to "payments-*" and without events:read,
/// notifications-admin with notifications:admin alone, channels with notifications:admin and
/// events:read, admin) and the local <see cref="TestIssuer"/>'s tokens.
/// </summary>
public sealed class SecuredTracker : IAsyncDisposable
{
    public const string ReaderKey = "trk_test-reader";
    public const string DeleterKey = "trk_test-deleter";
    public const string PaymentsKey = "trk_test-payments";
    public const string AdminKey = "trk_test-admin";
    public const string PaymentsWriterKey = "trk_test-payments-writer";
    public const string NotificationsAdminKey = "trk_test-notifications-admin";
    public const string ChannelsKey = "trk_test-channels";

    public SecuredTracker(IDictionary<string, string?>? extraSettings = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Auth:Mode"] = "ApiKey,Jwt",
            ["Auth:ApiKeys:reader:Hash"] = HashOf(ReaderKey),
            ["Auth:ApiKeys:reader:Scopes:0"] = "events:read",
            ["Auth:ApiKeys:deleter:Hash"] = HashOf(DeleterKey),
            ["Auth:ApiKeys:deleter:Scopes:0"] = "events:delete",
            ["Auth:ApiKeys:payments:Hash"] = HashOf(PaymentsKey),
            ["Auth:ApiKeys:payments:Scopes:0"] = "events:read",
            ["Auth:ApiKeys:payments:Scopes:1"] = "events:write",
            ["Auth:ApiKeys:payments:Scopes:2"] = "events:delete",
            ["Auth:ApiKeys:payments:Services:0"] = "payments-*",
            ["Auth:ApiKeys:payments-writer:Hash"] = HashOf(PaymentsWriterKey),
            ["Auth:ApiKeys:payments-writer:Scopes:0"] = "events:write",
            ["Auth:ApiKeys:payments-writer:Scopes:1"] = "events:delete",
            ["Auth:ApiKeys:payments-writer:Services:0"] = "payments-*",
            ["Auth:ApiKeys:notifications-admin:Hash"] = HashOf(NotificationsAdminKey),
            ["Auth:ApiKeys:notifications-admin:Scopes:0"] = "notifications:admin",
            ["Auth:ApiKeys:channels:Hash"] = HashOf(ChannelsKey),
            ["Auth:ApiKeys:channels:Scopes:0"] = "notifications:admin",
            ["Auth:ApiKeys:channels:Scopes:1"] = "events:read",
            ["Auth:ApiKeys:admin:Hash"] = HashOf(AdminKey),
            ["Auth:ApiKeys:admin:Scopes:0"] = "admin",
        };
        foreach (var (key, value) in TestIssuer.Settings().Concat(extraSettings ?? new Dictionary<string, string?>()))
        {
            settings[key] = value;
        }

        TrackerFactory? factory = null;
        factory = new TrackerFactory { Settings = settings, TestServices = Issuer.Serve(() => factory!.Server.CreateHandler()) };
        Factory = factory;
    }

    public TestIssuer Issuer { get; } = new();

    public TrackerFactory Factory { get; }

    /// <summary>The lower-case hex SHA-256 of a key, as Auth:ApiKeys:&lt;name&gt;:Hash holds it.</summary>
    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        Issuer.Dispose();
    }
}
