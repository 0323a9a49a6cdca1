using System.ComponentModel.DataAnnotations;
using Tracker.Events.Querying;

namespace Tracker.Events.Hosting;

/// <summary>
/// A setting that must name an IANA time zone that this machine knows ("UTC", "Europe/Paris"),
/// checked by an <c>[OptionsValidator]</c> validator at start-up. Its failure is
/// <see cref="ValidationAttribute.ErrorMessage"/> alone, a sentence naming the setting by its
/// configuration key, as <see cref="SettingRangeAttribute"/>'s is.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
internal sealed class TimeZoneIdAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is string id && TimeZoneResolver.Find(id) is not null
            ? ValidationResult.Success
            : new ValidationResult(ErrorMessageString);
}
