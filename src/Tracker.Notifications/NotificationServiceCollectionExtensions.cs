using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tracker.Notifications.Api;
using Tracker.Notifications.Delivery;

namespace Tracker.Notifications;

/// <summary>The notifications' wiring, one method per part (README, "Notifications").</summary>
public static class NotificationServiceCollectionExtensions
{
    /// <summary>
    /// Registers the ChannelService (<see cref="ChannelRpcService"/>, which the host maps with
    /// MapGrpcService), the "Notifications" settings and the <see cref="DeliveryWakeup"/> it
    /// signals after a redelivery. It needs an INotificationStore (registered with the event
    /// store) and uses every IMessageSender registered, one per channel kind.
    /// </summary>
    public static IServiceCollection AddChannelApi(this IServiceCollection services)
    {
        services.AddNotificationOptions();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DeliveryWakeup>();
        services.TryAddSingleton<ChannelRpcService>();
        return services;
    }

    /// <summary>
    /// Binds the "Notifications" section to <see cref="NotificationOptions"/>, once however many
    /// parts ask for it (binding twice would append its lists, such as RetryDelays, twice).
    /// </summary>
    public static IServiceCollection AddNotificationOptions(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(NotificationOptionsBound)))
        {
            return services;
        }

        services.AddSingleton<NotificationOptionsBound>();
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.SectionName);
        return services;
    }

    /// <summary>
    /// Keeps the bodies of REST PATCH requests to the channels readable after JSON transcoding has
    /// read them, so that UpdateChannel tells the fields present in the body (even at their default
    /// value) from those absent. Goes after the checks of REST bodies and before routing.
    /// </summary>
    public static IApplicationBuilder UseChannelApi(this IApplicationBuilder app) =>
        app.UseMiddleware<RestBodyProperties.Buffering>();

    /// <summary>Marks the "Notifications" section as bound.</summary>
    private sealed class NotificationOptionsBound;
}
