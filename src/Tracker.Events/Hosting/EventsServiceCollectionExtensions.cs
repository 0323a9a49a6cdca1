using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Tracker.Events.Access;
using Tracker.Events.Folding;
using Tracker.Events.Pipeline;
using Tracker.Events.Querying;
using Tracker.Events.Retention;
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
    /// (<see cref="EventMetrics"/>, <see cref="WatcherMetrics"/>, <see cref="StoreTelemetry"/>,
    /// <see cref="RetentionMetrics"/>). A store (AddSqliteEventStore, AddPostgresEventStore) must
    /// be registered as well.
    /// </summary>
    public static IServiceCollection AddTrackerEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TrackerOptions>()
            .Bind(configuration.GetSection(TrackerOptions.SectionName))
            .Validate(o => TimeZoneResolver.Find(o.TimeZone) is not null, "Tracker:TimeZone must be an IANA time zone id, e.g. UTC or Europe/Paris.")
            .Validate(o => o.FoldWindow >= TimeSpan.Zero && o.FoldWindow <= FoldWindows.Longest, "Tracker:FoldWindow must be a duration from 00:00:00 (no folding) to 7.00:00:00.")
            .ValidateOnStart();
        services.AddOptions<WatchOptions>()
            .Bind(configuration.GetSection(WatchOptions.SectionName))
            .Validate(o => o.BufferSize is >= 1 and <= 100_000, "Tracker:Watch:BufferSize must be between 1 and 100000.")
            .Validate(o => o.ChangeRetention > TimeSpan.Zero, "Tracker:Watch:ChangeRetention must be a positive duration, e.g. 7.00:00:00.")
            .Validate(o => o.PollInterval > TimeSpan.Zero, "Tracker:Watch:PollInterval must be a positive duration, e.g. 00:00:01.")
            .ValidateOnStart();
        services.AddOptions<RetentionOptions>()
            .Bind(configuration.GetSection(RetentionOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RetentionOptions>, RetentionOptionsValidator>());
        services.TryAddSingleton<RetentionMetrics>();
        services.AddOptions<EventAttributeOptions>()
            .Bind(configuration.GetSection(EventAttributeOptions.SectionName))
            .Validate(o => o.Services.Count <= EventAttributeOptions.MaxValues && o.Reasons.Count <= EventAttributeOptions.MaxValues, $"Telemetry:EventAttributes:Services and :Reasons may list at most {EventAttributeOptions.MaxValues} values each.")
            .Validate(o => !o.Services.Concat(o.Reasons).Any(string.IsNullOrEmpty), "Telemetry:EventAttributes:Services and :Reasons may not list an empty value.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<EventMetrics>();
        services.TryAddSingleton<WatcherMetrics>();
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
