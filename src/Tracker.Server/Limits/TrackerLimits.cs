using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Tracker.Server.Limits;

/// <summary>
/// Rate limits and overload protection with ASP.NET Core's rate limiter: every API call
/// (gRPC, gRPC-Web, REST) draws first from its caller's token bucket (Limits:PerCaller, when set),
/// then takes one of Limits:MaxConcurrentRequests slots (a write: of Limits:MaxConcurrentWrites),
/// waiting in a queue of Limits:QueueLength when all are taken; beyond that it is refused at once
/// (<see cref="RateLimitRejection"/>). Health, metrics and the API docs are never limited, so
/// probes answer under load; watch streams draw from the bucket but take no slot.
/// </summary>
internal static class TrackerLimits
{
    public static IServiceCollection AddTrackerLimits(this IServiceCollection services)
    {
        services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LimitsOptions>, LimitsOptionsValidator>());
        services.AddSingleton(provider => new RateLimitRejection(provider.GetRequiredService<IOptions<LimitsOptions>>().Value));
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<LimitsOptions>, RateLimitRejection>((options, limits, rejection) =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(PerCaller(limits.Value.PerCaller), Concurrency(limits.Value));
            options.OnRejected = (context, _) => new ValueTask(rejection.WriteAsync(context.HttpContext, context.Lease));
        });
        return services;
    }

    /// <summary>
    /// The rate limiter, and enough thread-pool threads for every slot: Microsoft.Data.Sqlite runs
    /// its "async" calls synchronously, so each call in a slot may hold a thread, and without
    /// spare threads the refusals that should go out at once would wait for one too.
    /// </summary>
    public static WebApplication UseTrackerLimits(this WebApplication app)
    {
        // Read leniently here: a bad Limits value stops the host when it starts, with the reasons.
        var configured = app.Configuration[$"{LimitsOptions.SectionName}:{nameof(LimitsOptions.MaxConcurrentRequests)}"];
        var slots = Math.Clamp(int.TryParse(configured, out var value) ? value : new LimitsOptions().MaxConcurrentRequests, 1, 4096);
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, slots + (4 * Environment.ProcessorCount)), completionPorts);
        app.UseRateLimiter();
        return app;
    }

    private static PartitionedRateLimiter<HttpContext> PerCaller(PerCallerLimits limits) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context =>
            limits.PermitsPerSecond == 0 || !CallerPartitions.IsApiCall(context)
                ? RateLimitPartition.GetNoLimiter(string.Empty)
                : RateLimitPartition.GetTokenBucketLimiter(CallerPartitions.KeyOf(context), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.EffectiveBurst,
                    TokensPerPeriod = limits.TokensPerPeriod,
                    ReplenishmentPeriod = limits.ReplenishmentPeriod,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));

    private static PartitionedRateLimiter<HttpContext> Concurrency(LimitsOptions limits) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context =>
            !CallerPartitions.IsApiCall(context) || CallerPartitions.IsWatch(context)
                ? RateLimitPartition.GetNoLimiter(string.Empty)
                : CallerPartitions.IsWrite(context)
                    ? Slots("writes", limits.MaxConcurrentWrites, limits.EffectiveWriteQueueLength)
                    : Slots("reads", limits.MaxConcurrentRequests, limits.EffectiveQueueLength));

    private static RateLimitPartition<string> Slots(string kind, int slots, int queue) =>
        RateLimitPartition.GetConcurrencyLimiter(kind, _ => new ConcurrencyLimiterOptions
        {
            PermitLimit = slots,
            QueueLimit = queue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
}
