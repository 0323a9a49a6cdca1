using System.Collections;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace Tracker.Server;

/// <summary>
/// Settings whose type is an enum (Auth:Mode, Auth:Reflection, Storage:Provider), checked by name
/// before the configuration binder converts them. The binder takes a name in any case, but also a
/// number ("7") and None among flags ("None,ApiKey"), and the failure it throws otherwise ("Failed
/// to convert configuration value 'x' at 'Auth:Mode' to type ...") names no allowed value. Here a
/// value must be one of the enum's names, in any case, or for a [Flags] enum a comma-separated list
/// of its non-zero names; anything else stops start-up with "Auth:Mode must be None, ApiKey, Jwt or
/// ApiKey,Jwt, not 'x'." (an <see cref="OptionsValidationException"/>, as any other bad setting).
/// </summary>
internal static class EnumSettings
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to the section at <paramref name="sectionPath"/>, after
    /// checking the names of its enum settings, its nested objects' included.
    /// </summary>
    public static OptionsBuilder<TOptions> BindConfigurationCheckingEnums<TOptions>(this OptionsBuilder<TOptions> builder, string sectionPath)
        where TOptions : class
    {
        builder.Configure<IConfiguration>((_, configuration) =>
        {
            var failures = Check(configuration.GetSection(sectionPath), typeof(TOptions)).ToList();
            if (failures.Count > 0)
            {
                throw new OptionsValidationException(builder.Name, typeof(TOptions), failures);
            }
        });
        return builder.BindConfiguration(sectionPath);
    }

    /// <summary>The value of <paramref name="text"/>, when it is one of <typeparamref name="TEnum"/>'s names as <see cref="BindConfigurationCheckingEnums"/> accepts them.</summary>
    public static bool TryParse<TEnum>(string text, out TEnum value)
        where TEnum : struct, Enum
    {
        value = default;
        return IsNamed(typeof(TEnum), text) && Enum.TryParse(text, ignoreCase: true, out value);
    }

    /// <summary>The names a setting of <paramref name="enumType"/> takes, for a message: "Sqlite or Postgres"; "None, ApiKey, Jwt or ApiKey,Jwt".</summary>
    public static string Choices(Type enumType)
    {
        var names = Enum.GetNames(enumType).ToList();
        if (enumType.IsDefined(typeof(FlagsAttribute)))
        {
            names.Add(string.Join(',', NonZeroNames(enumType)));
        }

        return names.Count == 1 ? names[0] : $"{string.Join(", ", names[..^1])} or {names[^1]}";
    }

    private static IEnumerable<string> Check(IConfigurationSection section, Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var child = section.GetSection(property.Name);
            var nullable = Nullable.GetUnderlyingType(property.PropertyType);
            var propertyType = nullable ?? property.PropertyType;
            if (propertyType.IsEnum)
            {
                // The binder reads an empty value as null for a nullable enum, and fails on it otherwise.
                if (child.Value is { } text && !(nullable is not null && text.Length == 0) && !IsNamed(propertyType, text))
                {
                    yield return $"{child.Path} must be {Choices(propertyType)}, not '{text}'.";
                }
            }
            else if (propertyType.IsClass && propertyType != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(propertyType))
            {
                foreach (var failure in Check(child, propertyType))
                {
                    yield return failure;
                }
            }
        }
    }

    private static bool IsNamed(Type enumType, string text)
    {
        var names = Enum.GetNames(enumType);
        if (!enumType.IsDefined(typeof(FlagsAttribute)))
        {
            return names.Contains(text.Trim(), StringComparer.OrdinalIgnoreCase);
        }

        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var nonZero = NonZeroNames(enumType).ToList();
        return parts.Length == 1
            ? names.Contains(parts[0], StringComparer.OrdinalIgnoreCase)
            : parts.All(part => nonZero.Contains(part, StringComparer.OrdinalIgnoreCase));
    }

    private static IEnumerable<string> NonZeroNames(Type enumType) =>
        Enum.GetNames(enumType).Where(name => Convert.ToInt64(Enum.Parse(enumType, name), System.Globalization.CultureInfo.InvariantCulture) != 0);
}
