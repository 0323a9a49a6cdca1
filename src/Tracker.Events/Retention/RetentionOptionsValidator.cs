using Microsoft.Extensions.Options;

namespace Tracker.Events.Retention;

/// <summary>
/// Checks the "Retention" section at start-up, each failure naming its key: a retention must be a
/// positive duration, a type key must name an event type (once), and the interval and batch size
/// must be in range. A host with a bad setting does not start.
/// </summary>
internal sealed class RetentionOptionsValidator : IValidateOptions<RetentionOptions>
{
    /// <summary>The longest <see cref="RetentionOptions.Interval"/>.</summary>
    public static readonly TimeSpan LongestInterval = TimeSpan.FromDays(1);

    /// <summary>The largest <see cref="RetentionOptions.BatchSize"/>.</summary>
    public const int LargestBatch = 10_000;

    private const string Section = RetentionOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, RetentionOptions options)
    {
        var failures = new List<string>();
        if (options.Default is { } retention && retention <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:Default must be a positive duration, e.g. 90.00:00:00 for 90 days, or unset to keep events forever; it is {retention}.");
        }

        var named = new Dictionary<Api.V1Alpha1.Type, string>();
        foreach (var (key, value) in options.Types)
        {
            if (!EventTypeNames.TryParse(key, out var type))
            {
                failures.Add($"{Section}:Types:{key} names no event type; use one of {EventTypeNames.Choices} (or TYPE_INCIDENT and the like).");
            }
            else if (named.TryGetValue(type, out var earlier))
            {
                failures.Add($"{Section}:Types:{key} and {Section}:Types:{earlier} name the same event type; keep one.");
            }
            else
            {
                named.Add(type, key);
            }

            if (value <= TimeSpan.Zero)
            {
                failures.Add($"{Section}:Types:{key} must be a positive duration, e.g. 365.00:00:00 for a year; it is {value}.");
            }
        }

        if (options.Interval < TimeSpan.FromSeconds(1) || options.Interval > LongestInterval)
        {
            failures.Add($"{Section}:Interval must be a duration from 00:00:01 to 1.00:00:00; it is {options.Interval}.");
        }

        if (options.BatchSize is < 1 or > LargestBatch)
        {
            failures.Add($"{Section}:BatchSize must be between 1 and {LargestBatch}; it is {options.BatchSize}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
