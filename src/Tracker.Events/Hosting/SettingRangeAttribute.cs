using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Tracker.Events.Hosting;

/// <summary>
/// A setting's bounds, checked by an <c>[OptionsValidator]</c> validator at start-up: a
/// <see cref="RangeAttribute"/> whose failure is <see cref="ValidationAttribute.ErrorMessage"/>
/// alone, a whole sentence that names the setting by its configuration key
/// ("Limits:MaxConcurrentWrites must be at least 1."), with <c>{0}</c> standing for the value given.
/// Two things the plain attribute does not do: the validator that the options source generator
/// writes for [Range] ignores ErrorMessage (https://github.com/dotnet/runtime/issues/123137), and its failures are
/// prefixed with the C# member name ("MaxConcurrentWrites: ..."), which names no setting.
/// Durations are TimeSpan text in the invariant culture ("7.00:00:00").
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class SettingRangeAttribute : RangeAttribute
{
    /// <summary>The longest duration a TimeSpan setting can hold, for a range with no upper bound.</summary>
    public const string LongestDuration = "10675199.02:48:05.4775807";

    /// <summary>Whole numbers from <paramref name="minimum"/> to <paramref name="maximum"/>, both included.</summary>
    public SettingRangeAttribute(int minimum, int maximum)
        : base(minimum, maximum)
    {
    }

    /// <summary>Numbers from <paramref name="minimum"/> to <paramref name="maximum"/>, both included unless marked exclusive.</summary>
    public SettingRangeAttribute(double minimum, double maximum)
        : base(minimum, maximum)
    {
    }

    /// <summary>Values of <paramref name="type"/> (TimeSpan) between two bounds written as invariant text.</summary>
    public SettingRangeAttribute(System.Type type, string minimum, string maximum)
        : base(type, minimum, maximum)
    {
        ParseLimitsInInvariantCulture = true;
        ConvertValueInInvariantCulture = true;
    }

    /// <summary>Whether 0 (or a zero duration) is accepted besides the range: a setting where 0 means "off" or "the default".</summary>
    public bool ZeroAllowed { get; set; }

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        (ZeroAllowed && value is 0 or 0.0 or TimeSpan { Ticks: 0 }) || IsValid(value)
            ? ValidationResult.Success
            // No member names: they would prefix the message with the C# property's name.
            : new ValidationResult(string.Format(CultureInfo.InvariantCulture, ErrorMessageString, value));
}
