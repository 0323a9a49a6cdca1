using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Tracker.Events.Querying;

namespace Tracker.Events.Hosting;

public static class EventsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the EventService implementation, its options (section "Tracker") and the
    /// start-up schema migration. A store (AddSqliteEventStore, AddPostgresEventStore) must be
    /// registered as well.
    /// </summary>
    public static IServiceCollection AddTrackerEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TrackerOptions>()
            .Bind(configuration.GetSection(TrackerOptions.SectionName))
            .Validate(o => TimeZoneResolver.Find(o.TimeZone) is not null, "Tracker:TimeZone must be an IANA time zone id, e.g. UTC or Europe/Paris.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<EventRpcService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, EventStoreMigrationService>());
        return services;
    }
}
