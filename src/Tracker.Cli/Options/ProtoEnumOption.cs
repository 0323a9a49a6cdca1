using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Google.Protobuf.Reflection;
using Tracker.Api.V1Alpha1;

namespace Tracker.Cli.Options;

/// <summary>
/// A flag whose value is one of a proto enum's values, given by its short name
/// (<c>--type deployment</c>, <c>--type rpa-usage</c>), its full proto name
/// (<c>TYPE_DEPLOYMENT</c>) or its number (<c>1</c>), case-insensitively. The names come from the
/// enum's descriptor, so a value added to the protos is accepted without a change here. The
/// UNSPECIFIED value (0) is not accepted: leaving the flag out means the same. A bad value is a
/// parse error naming the flag and listing the allowed values.
/// </summary>
internal static class ProtoEnumOption
{
    /// <summary>An optional flag of enum <typeparamref name="TEnum"/>; its value is null when the flag is absent.</summary>
    public static Option<TEnum?> Create<TEnum>(string name, string description)
        where TEnum : struct, Enum
    {
        var values = ValuesOf<TEnum>();
        var shortNames = values.Select(v => v.ShortName).ToArray();
        var option = new Option<TEnum?>(name)
        {
            Description = $"{description} One of: {string.Join(", ", shortNames)} (or the full name, or the number).",
            HelpName = "value",
            CustomParser = result => Parse<TEnum>(result, name, values),
        };
        option.CompletionSources.Add(shortNames);
        return option;
    }

    /// <summary>The short, kebab-case name of a value: TYPE_RPA_USAGE is rpa-usage.</summary>
    public static string ShortName<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        var number = Convert.ToInt32(value, CultureInfo.InvariantCulture);
        return ValuesOf<TEnum>().FirstOrDefault(v => v.Number == number)?.ShortName
            ?? (number == 0 ? "" : number.ToString(CultureInfo.InvariantCulture));
    }

    private static TEnum? Parse<TEnum>(ArgumentResult result, string name, IReadOnlyList<EnumValue> values)
        where TEnum : struct, Enum
    {
        var text = result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value.Trim();
        var match = values.FirstOrDefault(v =>
            string.Equals(v.ShortName, text, StringComparison.OrdinalIgnoreCase)
            || string.Equals(v.ShortName.Replace('-', '_'), text, StringComparison.OrdinalIgnoreCase)
            || string.Equals(v.FullName, text, StringComparison.OrdinalIgnoreCase)
            || v.Number.ToString(CultureInfo.InvariantCulture) == text);
        if (match is null)
        {
            var allowed = string.Join(", ", values.Select(v => $"{v.ShortName} ({v.FullName}, {v.Number})"));
            result.AddError($"Invalid value '{text}' for {name}. Allowed values: {allowed}.");
            return null;
        }

        return (TEnum)Enum.ToObject(typeof(TEnum), match.Number);
    }

    private static List<EnumValue> ValuesOf<TEnum>()
        where TEnum : struct, Enum => EnumValues<TEnum>.All;

    private static List<EnumValue> Read<TEnum>()
        where TEnum : struct, Enum
    {
        var descriptor = EventReflection.Descriptor.EnumTypes.Concat(EventServiceReflection.Descriptor.EnumTypes)
            .Single(e => e.ClrType == typeof(TEnum));
        var prefix = Prefix(descriptor);
        return descriptor.Values
            .Where(v => v.Number != 0)
            .Select(v => new EnumValue(
                v.Name.StartsWith(prefix, StringComparison.Ordinal) ? v.Name[prefix.Length..].ToLowerInvariant().Replace('_', '-') : v.Name,
                v.Name,
                v.Number))
            .ToList();
    }

    // buf's ENUM_VALUE_PREFIX rule: every value starts with the enum's name in UPPER_SNAKE_CASE and "_".
    private static string Prefix(EnumDescriptor descriptor)
    {
        var snake = string.Concat(descriptor.Name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : c.ToString()));
        return snake.ToUpperInvariant() + "_";
    }

    private sealed record EnumValue(string ShortName, string FullName, int Number);

    // Read once per enum: the table output names a value on every row.
    private static class EnumValues<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly List<EnumValue> All = Read<TEnum>();
    }
}
