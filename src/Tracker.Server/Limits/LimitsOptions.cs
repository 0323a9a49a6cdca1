using Microsoft.Extensions.Options;
using Tracker.Events.Hosting;

namespace Tracker.Server.Limits;

/// <summary>
/// The "Limits" configuration section: global concurrency limits with short queues,
/// one for reads and one for writes, on by default, and a token bucket per caller, off until
/// configured.
/// </summary>
public sealed class LimitsOptions
{
    public const string SectionName = "Limits";

    /// <summary>
    /// Reads (Get, List, Search, Today) served at once across all callers; more wait in the queue,
    /// and past that are refused at once with RESOURCE_EXHAUSTED / 429. Default 16 per processor
    /// (32 on two cores): SQLite's reads hold a thread each, and more slots than that only
    /// lengthened every call and grew memory under overload (bench scenario j). Watch streams do
    /// not count: they hold no worker while idle.
    /// </summary>
    [SettingRange(1, int.MaxValue, ErrorMessage = "Limits:MaxConcurrentRequests must be at least 1.")]
    public int MaxConcurrentRequests { get; set; } = 16 * Environment.ProcessorCount;

    /// <summary>
    /// Writes (Create, Update, Delete) served at once, counted apart from reads. Default 64 per
    /// processor (128 on two cores): a write spends its slot mostly waiting for the store's commit,
    /// holding no thread, and SQLite commits every create waiting by then as one group, so fewer
    /// slots make smaller groups (bench scenario i, 100 watchers: 152 creates/s with 32 slots,
    /// 726 with 128).
    /// </summary>
    [SettingRange(1, int.MaxValue, ErrorMessage = "Limits:MaxConcurrentWrites must be at least 1.")]
    public int MaxConcurrentWrites { get; set; } = 64 * Environment.ProcessorCount;

    /// <summary>
    /// Calls that may wait for a free slot of their kind (read or write), oldest first; past that
    /// a call is refused at once. Unset (the default) means as many as that kind's slots: a call
    /// admitted to a full queue then waits about one call's time, so under 10x load the calls
    /// served take about what they take at the sustainable load (bench scenario j). 0 refuses at
    /// once when every slot is taken. A longer queue lets bigger bursts through, at the cost of
    /// every queued call's latency.
    /// </summary>
    [SettingRange(0, int.MaxValue, ErrorMessage = "Limits:QueueLength must be 0 or more.")]
    public int? QueueLength { get; set; }

    /// <summary>The reads' queue as used: <see cref="QueueLength"/>, or <see cref="MaxConcurrentRequests"/> when unset.</summary>
    public int EffectiveQueueLength => QueueLength ?? MaxConcurrentRequests;

    /// <summary>The writes' queue as used: <see cref="QueueLength"/>, or <see cref="MaxConcurrentWrites"/> when unset.</summary>
    public int EffectiveWriteQueueLength => QueueLength ?? MaxConcurrentWrites;

    /// <summary>The token bucket each caller (API key or token subject; the client address when authentication is off) draws one token from per call.</summary>
    [ValidateObjectMembers]
    public PerCallerLimits PerCaller { get; set; } = new();
}

/// <summary>A token bucket per caller (System.Threading.RateLimiting's TokenBucketRateLimiter).</summary>
public sealed class PerCallerLimits
{
    /// <summary>
    /// The sustained calls per second a caller may make: from 1 up, that many tokens are added
    /// every second; below 1, one token every 1/PermitsPerSecond seconds (0.0167 is one a
    /// minute). 0 (the default) turns the limit off.
    /// </summary>
    [SettingRange(0.0001, 1_000_000, ZeroAllowed = true, ErrorMessage = "Limits:PerCaller:PermitsPerSecond must be 0 (off) or from 0.0001 (one call in about 3 hours) to 1000000.")]
    public double PermitsPerSecond { get; set; }

    /// <summary>The bucket's size: how many calls a caller may make at once after being idle. Default 0 means twice PermitsPerSecond, at least 1.</summary>
    [SettingRange(0, int.MaxValue, ErrorMessage = "Limits:PerCaller:Burst must be 0 (twice PermitsPerSecond) or more.")]
    public int Burst { get; set; }

    /// <summary>The bucket's size as used.</summary>
    public int EffectiveBurst => Burst > 0 ? Burst : Math.Max(1, (int)Math.Ceiling(PermitsPerSecond * 2));

    /// <summary>How many tokens are added each <see cref="ReplenishmentPeriod"/>.</summary>
    public int TokensPerPeriod => PermitsPerSecond >= 1 ? (int)Math.Round(PermitsPerSecond) : 1;

    /// <summary>How often tokens are added: every second, or every 1/PermitsPerSecond seconds below one per second.</summary>
    public TimeSpan ReplenishmentPeriod => PermitsPerSecond >= 1 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(1 / PermitsPerSecond);
}

/// <summary>Checks <see cref="LimitsOptions"/>' attributes at start-up (generated).</summary>
[OptionsValidator]
internal sealed partial class LimitsOptionsValidator : IValidateOptions<LimitsOptions>;
