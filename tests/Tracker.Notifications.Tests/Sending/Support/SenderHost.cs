using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tracker.Notifications.Sending;

namespace Tracker.Notifications.Tests.Sending.Support;

/// <summary>
/// The senders as the server gets them: <see cref="NotificationSendingServiceCollectionExtensions.AddNotificationSenders"/>
/// over the given "Notifications:*" settings, options checked as at start-up.
/// </summary>
public sealed class SenderHost : IDisposable
{
    private readonly ServiceProvider _provider;

    public SenderHost(IDictionary<string, string?> settings, TimeProvider? time = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddNotificationSenders(configuration);
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        // As ValidateOnStart would at start-up: a bad setting fails here.
        _ = _provider.GetRequiredService<IOptions<NotificationOptions>>().Value;
    }

    public ChannelSenders Senders => _provider.GetRequiredService<ChannelSenders>();

    /// <summary>Settings that let the tests reach their local receivers: private targets and http allowed.</summary>
    public static Dictionary<string, string?> LocalSettings(params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Notifications:AllowPrivateTargets"] = "true",
            ["Notifications:AllowHttp"] = "true",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    public void Dispose() => _provider.Dispose();
}
