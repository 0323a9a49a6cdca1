using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Tracker.Notifications.Sending;

/// <summary>Registers the Notifications settings and the senders of webhook, Slack and email messages.</summary>
public static class NotificationSendingServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="NotificationOptions"/> to the "Notifications" section, checked at start-up
    /// (<see cref="NotificationOptionsValidator"/>); registers the outbound HTTP client (a named
    /// <see cref="System.Net.Http.IHttpClientFactory"/> client over <see cref="TargetCheckingHandler"/>, without the
    /// factory's request logging, which would write target URLs, and a Slack URL's path is its
    /// secret), the three <see cref="IMessageSender"/>s and <see cref="ChannelSenders"/>.
    /// </summary>
    public static IServiceCollection AddNotificationSenders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection(NotificationOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NotificationOptions>, NotificationOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NotificationOptions>, NotificationRulesValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.AddHttpClient(HttpAttempt.ClientName)
            .ConfigurePrimaryHttpMessageHandler(provider =>
                TargetCheckingHandler.Create(provider.GetRequiredService<IOptions<NotificationOptions>>().Value.AllowPrivateTargets))
            // The attempt's own deadline (Notifications:AttemptTimeout) governs; no second one.
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
        services.TryAddSingleton<HttpAttempt>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMessageSender, WebhookSender>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMessageSender, SlackSender>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMessageSender, EmailSender>());
        services.TryAddSingleton<ChannelSenders>();
        return services;
    }
}
