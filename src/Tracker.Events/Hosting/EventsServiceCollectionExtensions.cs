using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Tracker.Events.Access;
using Tracker.Events.Pipeline;
using Tracker.Events.Retention;
using Tracker.Events.Storage;
using Tracker.Events.Telemetry;
using Tracker.Events.Watching;

namespace Tracker.Events.Hosting;

public static class EventsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the EventService implementation, its call pipeline
    /// (<see cref="EventCallPipeline"/>, which the host adds to its gRPC interceptors), its options (sections "Tracker",
    /// "Tracker:Watch", "Retention" and "Telemetry:EventAttributes"), the start-up schema
    /// migration, the watch machinery (the change feed and the change log's hourly purge),
    /// retention (<see cref="RetentionService"/>) and Tracker's own instruments
    /// (<see cref="EventMetrics"/>, <see cref="WatcherMetrics"/>, <see cref="DeliveryMetrics"/>, <see cref="StoreTelemetry"/>,
    /// <see cref="RetentionMetrics"/>). A store (AddSqliteEventStore, AddPostgresEventStore) must
    /// be registered as well.
    /// </summary>
    public static IServiceCollection AddTrackerEvents(this IServiceCollection services, IConfiguration configuration)
    {
        // Each section's bounds are attributes on its options class, checked by a generated
        // validator ([OptionsValidator]); rules across entries get an IValidateOptions of their own.
        services.AddOptions<TrackerOptions>().Bind(configuration.GetSection(TrackerOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TrackerOptions>, TrackerOptionsValidator>());
        services.AddOptions<WatchOptions>().Bind(configuration.GetSection(WatchOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WatchOptions>, WatchOptionsValidator>());
        services.AddOptions<RetentionOptions>().Bind(configuration.GetSection(RetentionOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RetentionOptions>, RetentionOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RetentionOptions>, RetentionTypesValidator>());
        services.TryAddSingleton<RetentionMetrics>();
        services.AddOptions<EventAttributeOptions>().Bind(configuration.GetSection(EventAttributeOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EventAttributeOptions>, EventAttributeOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<EventMetrics>();
        services.TryAddSingleton<WatcherMetrics>();
        services.TryAddSingleton(provider => new DeliveryMetrics(
            provider.GetRequiredService<IMeterFactory>(),
            provider.GetRequiredService<TimeProvider>(),
            (provider.GetService<IEventStore>() as InstrumentedEventStore)?.System));
        services.TryAddSingleton<StoreTelemetry>();
        services.TryAddSingleton<ChangeSignal>();
        services.TryAddSingleton<ChangeFeed>();
        services.TryAddSingleton<EventWatches>();
        services.TryAddSingleton<ICallerIdentity, OpenCallerIdentity>();
        services.TryAddSingleton<EventRpcService>();
        // Added to the gRPC options by the host (GrpcServiceOptions.Interceptors); one for all calls.
        services.TryAddSingleton<EventCallPipeline>();

        // Hosted services start in turn: the schema is migrated before the feed and the purge read it.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, EventStoreMigrationService>());
        services.AddHostedService(provider => provider.GetRequiredService<ChangeFeed>());
        services.AddHostedService<ChangeLogPurger>();
        services.AddHostedService<RetentionService>();
        return services;
    }
}
