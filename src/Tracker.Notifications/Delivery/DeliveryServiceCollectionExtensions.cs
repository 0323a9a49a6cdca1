using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Tracker.Notifications.Delivery;

/// <summary>Registers the router and the dispatcher, which run in every replica (leases and the router's compare-and-set keep them from doubling up).</summary>
public static class DeliveryServiceCollectionExtensions
{
    /// <summary>
    /// The router and the dispatcher as hosted services. Call after the event store's
    /// registration: hosted services start in turn, and the schema is migrated first.
    /// </summary>
    public static IServiceCollection AddNotificationDelivery(this IServiceCollection services)
    {
        services.TryAddSingleton<DeliveryWakeup>();
        services.AddHostedService<NotificationRouter>();
        services.AddHostedService<DeliveryDispatcher>();
        return services;
    }
}
