using Microsoft.Extensions.Options;
using Tracker.Events.Hosting;

namespace Tracker.Events.Watching;

/// <summary>The "Tracker:Watch" configuration section: the watch stream and the change log it reads.</summary>
public sealed class WatchOptions
{
    public const string SectionName = "Tracker:Watch";

    /// <summary>
    /// How many matching changes may wait for one watcher, 1 to 100,000, default 1,000. A watcher
    /// further behind is ended with RESOURCE_EXHAUSTED, so a slow reader costs bounded memory.
    /// </summary>
    [SettingRange(1, 100_000, ErrorMessage = "Tracker:Watch:BufferSize must be between 1 and 100000.")]
    public int BufferSize { get; set; } = 1000;

    /// <summary>
    /// How long the change log keeps a change, default 7 days: resuming from an older position is
    /// OUT_OF_RANGE. Purged hourly, a thousand rows per transaction.
    /// </summary>
    [SettingRange(typeof(TimeSpan), "00:00:00", SettingRangeAttribute.LongestDuration, MinimumIsExclusive = true, ErrorMessage = "Tracker:Watch:ChangeRetention must be a positive duration, e.g. 7.00:00:00.")]
    public TimeSpan ChangeRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How often the feed reads the change log when no notification came, default 1 s: the
    /// fallback for a PostgreSQL notification lost while the listening connection reconnects.
    /// </summary>
    [SettingRange(typeof(TimeSpan), "00:00:00", SettingRangeAttribute.LongestDuration, MinimumIsExclusive = true, ErrorMessage = "Tracker:Watch:PollInterval must be a positive duration, e.g. 00:00:01.")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>Checks <see cref="WatchOptions"/>' attributes at start-up (generated).</summary>
[OptionsValidator]
internal sealed partial class WatchOptionsValidator : IValidateOptions<WatchOptions>;
