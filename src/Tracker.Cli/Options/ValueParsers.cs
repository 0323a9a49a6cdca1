using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;
using Google.Protobuf.WellKnownTypes;

namespace Tracker.Cli.Options;

/// <summary>
/// Parsers for flag values that are not plain strings or numbers. Each reports a bad value as a
/// parse error naming the flag and the expected form (exit code 2).
/// </summary>
internal static partial class ValueParsers
{
    /// <summary>
    /// A point in time: <c>now</c>; an RFC 3339 date-time with its offset or Z
    /// (<c>2024-01-15T10:00:00Z</c>, <c>2024-01-15T12:00:00+02:00</c>); or a date
    /// (<c>2024-01-15</c>), midnight UTC. A time without an offset is refused rather than guessed.
    /// </summary>
    public static Timestamp? Timestamp(ArgumentResult result, string name, TimeProvider clock)
    {
        var text = LastToken(result);
        if (string.Equals(text, "now", StringComparison.OrdinalIgnoreCase))
        {
            return Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(clock.GetUtcNow());
        }

        if ((Rfc3339DateTime().IsMatch(text) || PlainDate().IsMatch(text))
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(time);
        }

        result.AddError($"Invalid value '{text}' for {name}: expected 'now', an RFC 3339 date-time with an offset or Z "
            + "(2024-01-15T10:00:00Z, 2024-01-15T12:00:00+02:00), or a date (2024-01-15, midnight UTC).");
        return null;
    }

    /// <summary>A whole number of at least <paramref name="minimum"/>, said in words when it is not one.</summary>
    public static int WholeNumber(ArgumentResult result, string name, int minimum = int.MinValue)
    {
        var text = LastToken(result);
        var atLeast = minimum == int.MinValue ? "" : $" of at least {minimum}";
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            result.AddError($"Invalid value '{text}' for {name}: {name} must be a whole number{atLeast}.");
            return 0;
        }

        if (number < minimum)
        {
            result.AddError($"Invalid value '{text}' for {name}: {name} must be at least {minimum}.");
        }

        return number;
    }

    /// <summary>Checks a yes-or-no flag value: true or false, in any case.</summary>
    public static void Boolean(OptionResult result, string name)
    {
        var text = result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value.Trim();
        if (!bool.TryParse(text, out _))
        {
            result.AddError($"Invalid value '{text}' for {name}: expected true or false.");
        }
    }

    /// <summary>
    /// A length of time: a number with a unit, ms, s, m or h (<c>90s</c>, <c>5m</c>, <c>1h30m</c>),
    /// or a plain number of seconds.
    /// </summary>
    public static TimeSpan? Duration(ArgumentResult result, string name)
    {
        var text = LastToken(result);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        var parts = DurationPart().Matches(text);
        if (text.Length > 0 && parts.Sum(p => p.Length) == text.Length)
        {
            var total = TimeSpan.Zero;
            foreach (Match part in parts)
            {
                var amount = double.Parse(part.Groups["amount"].Value, CultureInfo.InvariantCulture);
                total += part.Groups["unit"].Value switch
                {
                    "ms" => TimeSpan.FromMilliseconds(amount),
                    "s" => TimeSpan.FromSeconds(amount),
                    "m" => TimeSpan.FromMinutes(amount),
                    _ => TimeSpan.FromHours(amount),
                };
            }

            return total;
        }

        result.AddError($"Invalid value '{text}' for {name}: expected a duration such as 30s, 5m, 1h30m or a number of seconds.");
        return null;
    }

    /// <summary>A length of time as <see cref="Duration"/> reads it, more than zero.</summary>
    public static TimeSpan PositiveDuration(ArgumentResult result, string name)
    {
        var duration = Duration(result, name);
        if (duration is { } positive && positive > TimeSpan.Zero)
        {
            return positive;
        }

        if (duration is not null)
        {
            result.AddError($"Invalid value '{LastToken(result)}' for {name}: expected a duration of more than zero, such as 30s or 2m.");
        }

        return TimeSpan.Zero;
    }

    /// <summary>Labels as <c>key=value</c>, one per occurrence of the flag.</summary>
    public static Dictionary<string, string> Labels(ArgumentResult result, string name)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var token in result.Tokens)
        {
            var separator = token.Value.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                result.AddError($"Invalid value '{token.Value}' for {name}: expected key=value.");
                continue;
            }

            labels[token.Value[..separator]] = token.Value[(separator + 1)..];
        }

        return labels;
    }

    private static string LastToken(ArgumentResult result) => result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value.Trim();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339DateTime();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$")]
    private static partial Regex PlainDate();

    [GeneratedRegex(@"(?<amount>\d+(\.\d+)?)(?<unit>ms|s|m|h)")]
    private static partial Regex DurationPart();
}
