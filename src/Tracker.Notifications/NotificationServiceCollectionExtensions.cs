using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tracker.Notifications.ChannelApi;
using Tracker.Notifications.Delivery;
using Tracker.Notifications.Sending;

namespace Tracker.Notifications;

/// <summary>The notifications' wiring, one method per part (README, "Notifications").</summary>
public static class NotificationServiceCollectionExtensions
{
    /// <summary>
    /// Notifications, whole: the senders and their settings ("Notifications"), the ChannelService,
    /// and the router and dispatcher that deliver from the change log. Call after the event store's
    /// registration, which brings the INotificationStore.
    /// </summary>
    public static IServiceCollection AddTrackerNotifications(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        services.AddNotificationSenders(configuration).AddChannelApi().AddNotificationDelivery();

    /// <summary>
    /// Registers the ChannelService (<see cref="ChannelRpcService"/>, which the host maps with
    /// MapGrpcService) and the <see cref="DeliveryWakeup"/> it signals after a redelivery. It
    /// needs an INotificationStore (registered with the event store), and reads the
    /// "Notifications" settings (Notifications:AllowHttp) and the senders of test messages
    /// (IMessageSender, one per channel kind) that AddNotificationSenders registers.
    /// </summary>
    public static IServiceCollection AddChannelApi(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DeliveryWakeup>();
        services.TryAddSingleton<ChannelRpcService>();
        return services;
    }

    /// <summary>
    /// Keeps the bodies of REST PATCH requests to the channels readable after JSON transcoding has
    /// read them, so that UpdateChannel tells the fields present in the body (even at their default
    /// value) from those absent. Goes after the checks of REST bodies and before routing.
    /// </summary>
    public static IApplicationBuilder UseChannelApi(this IApplicationBuilder app) =>
        app.UseMiddleware<ChannelPatchBodyBuffering>();
}
