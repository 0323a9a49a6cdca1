namespace Tracker.Events.Watching;

/// <summary>The "Tracker:Watch" configuration section (issue 12).</summary>
public sealed class WatchOptions
{
    public const string SectionName = "Tracker:Watch";

    /// <summary>
    /// How many matching changes may wait for one watcher, 1 to 100,000, default 1,000. A watcher
    /// further behind is ended with RESOURCE_EXHAUSTED, so a slow reader costs bounded memory.
    /// </summary>
    public int BufferSize { get; set; } = 1000;

    /// <summary>
    /// How long the change log keeps a change, default 7 days: resuming from an older position is
    /// OUT_OF_RANGE. Purged hourly, a thousand rows per transaction.
    /// </summary>
    public TimeSpan ChangeRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How often the feed reads the change log when no notification came, default 1 s: the
    /// fallback for a PostgreSQL notification lost while the listening connection reconnects.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
