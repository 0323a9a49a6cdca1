using Google.Protobuf.WellKnownTypes;
using Tracker.Events.Validation;

namespace Tracker.Events.Folding;

/// <summary>Reads a create's fold_window: the request's, else Tracker:FoldWindow; 0 means no folding.</summary>
internal static class FoldWindows
{
    /// <summary>The longest window: folding is for floods of repeats, not for merging a week's history.</summary>
    public static readonly TimeSpan Longest = TimeSpan.Parse(LongestText, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary><see cref="Longest"/> as TimeSpan text, for the bounds of Tracker:FoldWindow.</summary>
    public const string LongestText = "7.00:00:00";

    /// <summary>The window of a create, or null with a violation on fold_window.</summary>
    public static TimeSpan? Of(Duration? requested, TimeSpan configured, Violations violations)
    {
        if (requested is null)
        {
            return configured;
        }

        // A Duration's seconds and nanos must agree in sign, nanos within ±999,999,999 (google/protobuf/duration.proto).
        if (requested.Nanos is <= -1_000_000_000 or >= 1_000_000_000
            || (requested.Seconds > 0 && requested.Nanos < 0) || (requested.Seconds < 0 && requested.Nanos > 0))
        {
            violations.Add("fold_window", "is not a valid duration: seconds and nanos must have the same sign, nanos within ±999,999,999", ViolationReasons.InvalidFormat);
            return null;
        }

        if (requested.Seconds < 0 || requested.Nanos < 0)
        {
            violations.Add("fold_window", "must not be negative; 0 turns folding off", ViolationReasons.OutOfRange);
            return null;
        }

        if (requested.Seconds > (long)Longest.TotalSeconds || (requested.Seconds == (long)Longest.TotalSeconds && requested.Nanos > 0))
        {
            violations.Add("fold_window", "must be at most 7 days (604800s)", ViolationReasons.OutOfRange);
            return null;
        }

        return requested.ToTimeSpan();
    }
}
