using System.ComponentModel.DataAnnotations;

namespace Tracker.Events.Hosting;

/// <summary>
/// A list setting of at most <see cref="MaxCount"/> values, none of them empty, checked by an
/// <c>[OptionsValidator]</c> validator at start-up. Its failure is
/// <see cref="ValidationAttribute.ErrorMessage"/> alone, a sentence naming the setting by its
/// configuration key, as <see cref="SettingRangeAttribute"/>'s is.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
internal sealed class SettingListAttribute(int maxCount) : ValidationAttribute
{
    public int MaxCount { get; } = maxCount;

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is not IReadOnlyCollection<string> list || (list.Count <= MaxCount && !list.Any(string.IsNullOrEmpty))
            ? ValidationResult.Success
            : new ValidationResult(ErrorMessageString);
}
