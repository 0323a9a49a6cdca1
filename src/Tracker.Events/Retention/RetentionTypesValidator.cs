using Microsoft.Extensions.Options;

namespace Tracker.Events.Retention;

/// <summary>
/// Checks <see cref="RetentionOptions.Types"/> at start-up, each failure naming its key: a key
/// must name an event type, and no other key the same one ("Incident" and "TYPE_INCIDENT"), and
/// its retention must be a positive duration. The section's simple bounds are attributes on
/// <see cref="RetentionOptions"/>, checked by <see cref="RetentionOptionsValidator"/>.
/// </summary>
internal sealed class RetentionTypesValidator : IValidateOptions<RetentionOptions>
{
    private const string Section = RetentionOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, RetentionOptions options)
    {
        var failures = new List<string>();
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

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
