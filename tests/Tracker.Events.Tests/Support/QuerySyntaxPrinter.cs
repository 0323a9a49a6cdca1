using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tracker.Events.Storage;

namespace Tracker.Events.Tests.Support;

/// <summary>
/// Writes an expression tree back as text in either search dialect, so the round-trip property
/// can parse it again: an AIP-160 filter (<see cref="Filter"/>) or a MongoDB-style query
/// (<see cref="Mongo"/>). Where the dialects have several spellings (= or :, names or numbers,
/// AND or juxtaposition, NOT or -, $ne, $nor, $in) the printer picks one at random, so the
/// parsers meet them all. What the tree means is kept, not its shape: an empty AND is written
/// as an always-true restriction (created_at:*), an empty OR as its negation, and an ordered
/// enum's raw &lt; (which the binder ranks, UNSPECIFIED having no rank) as "&lt; v OR = 0".
/// </summary>
public static partial class QuerySyntaxPrinter
{
    private const string AlwaysTrueField = "created_at";

    /// <summary>
    /// Whether a leaf can be written in both dialects: enums and flags only with values they
    /// define, unordered ones (type, status, environment, notification) only with =, ordered
    /// ones ranked from 1, and times within 0001-9999.
    /// </summary>
    public static bool CanPrint(FilterNode leaf)
    {
        if (leaf is not Comparison c)
        {
            return leaf is Presence;
        }

        var info = c.Field;
        return info.Kind switch
        {
            FieldKind.Text => c.Value.IsText,
            FieldKind.Integer => true,
            FieldKind.Boolean => c.Comparator == Comparator.Equal && c.Value.Number is 0 or 1,
            FieldKind.Enum => info.Enum!.FindValueByNumber((int)Math.Clamp(c.Value.Number, int.MinValue, int.MaxValue)) is not null
                && (c.Comparator == Comparator.Equal || (info.Ordered && c.Comparator is not (Comparator.Prefix or Comparator.Suffix or Comparator.Contains) && c.Value.Number >= 1)),
            FieldKind.Timestamp => c.Value.Number >= MinMicros && c.Value.Number <= MaxMicros,
            _ => false,
        };
    }

    private static readonly long MinMicros = EventKeys.ToMicros(DateTimeOffset.MinValue);
    private static readonly long MaxMicros = EventKeys.ToMicros(new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_990));

    // ---- AIP-160 ------------------------------------------------------------------------------------

    // Binding strength of printed text, following FilterParser's grammar: a restriction or a
    // parenthesised expression (Simple), optionally negated (Term), terms joined by OR (Factor),
    // factors joined by AND or juxtaposition (Expression).
    private enum Level
    {
        Expression,
        Factor,
        Term,
        Simple,
    }

    /// <summary>The tree as an AIP-160 filter; see <see cref="Querying.FilterParser"/>.</summary>
    public static string Filter(FilterNode node, Random random) => Aip(node, random).Text;

    private static (string Text, Level Level) Aip(FilterNode node, Random random)
    {
        switch (node)
        {
            case AllOf { Terms.Count: 0 }:
                return ($"{AlwaysTrueField}:*", Level.Simple);
            case AnyOf { Terms.Count: 0 }:
                return ($"NOT {AlwaysTrueField}:*", Level.Term);
            case AllOf { Terms.Count: 1 } one when random.Next(2) == 0:
                return Aip(one.Terms[0], random);
            case AnyOf { Terms.Count: 1 } one when random.Next(2) == 0:
                return Aip(one.Terms[0], random);
            case AllOf all:
                var and = random.Next(3) == 0 ? " " : " AND ";
                return (string.Join(and, all.Terms.Select(t => At(Aip(t, random), Level.Factor))), Level.Expression);
            case AnyOf any:
                return (string.Join(" OR ", any.Terms.Select(t => At(Aip(t, random), Level.Term))), Level.Factor);
            case Negation { Term: Comparison { Comparator: Comparator.Equal or Comparator.Prefix or Comparator.Suffix or Comparator.Contains } c } when IsWildcardText(c) && random.Next(2) == 0:
                return ($"{Name(c.Field, c.LabelKey, random)} != {Wildcard(c, random)}", Level.Simple);
            case Negation not:
                return ((random.Next(3) == 0 ? "-" : "NOT ") + At(Aip(not.Term, random), Level.Simple), Level.Term);
            case Presence p:
                return p.Field == EventField.Labels && random.Next(2) == 0
                    ? ($"labels:{p.LabelKey}", Level.Simple)
                    : ($"{Name(p.Field, p.LabelKey, random)}:*", Level.Simple);
            case Comparison c:
                return AipComparison(c, random);
            default:
                throw new ArgumentOutOfRangeException(nameof(node), node, null);
        }
    }

    private static string At((string Text, Level Level) printed, Level needed) =>
        printed.Level >= needed ? printed.Text : $"({printed.Text})";

    private static (string Text, Level Level) AipComparison(Comparison c, Random random)
    {
        var name = Name(c.Field, c.LabelKey, random);
        var info = c.Field;
        if (IsWildcardText(c))
        {
            // "field:*" (the value a lone star, quoted or not) asks for presence, so a lone star takes "=".
            var has = random.Next(2) == 0 && WildcardText(c) != "*";
            return ($"{name}{(has ? ":" : " = ")}{Wildcard(c, random)}", Level.Simple);
        }

        if (info.Kind == FieldKind.Text)
        {
            return ($"{name} {Symbol(c.Comparator)} {Quote(c.Value.Text!)}", Level.Simple);
        }

        var value = info.Kind switch
        {
            FieldKind.Enum => EnumName(info, c.Value.Number, random),
            FieldKind.Boolean => c.Value.Number == 1 ? "true" : "false",
            FieldKind.Timestamp => Quote(Time(c.Value.Number, random)),
            _ => c.Value.Number.ToString(CultureInfo.InvariantCulture),
        };
        var comparison = $"{name} {(c.Comparator == Comparator.Equal && random.Next(2) == 0 ? ":" : Symbol(c.Comparator))} {value}";
        return RanksUnspecified(info, c)
            ? ($"({comparison} OR {name} = {EnumName(info, 0, random)})", Level.Simple)
            : (comparison, Level.Simple);
    }

    /// <summary>A text equality or wildcard: a quoted string with stars at its ends, or a bare word when nothing needs escaping.</summary>
    private static string Wildcard(Comparison c, Random random)
    {
        var (leading, trailing) = Stars(c.Comparator);
        var value = c.Value.Text!;
        return BareWord().IsMatch(value) && random.Next(2) == 0
            ? leading + value + trailing
            : "\"" + leading + EscapeAip(value) + trailing + "\"";
    }

    private static string Quote(string value) => "\"" + EscapeAip(value) + "\"";

    /// <summary>The escapes of FilterLexer's strings; a star is escaped for the binder, which reads "\*" as a star.</summary>
    private static string EscapeAip(string value) =>
        string.Concat(value.Select(ch => ch switch
        {
            '\\' => "\\\\",
            '"' => "\\\"",
            '*' => "\\*",
            '\n' => "\\n",
            '\t' => "\\t",
            _ => ch.ToString(),
        }));

    [GeneratedRegex(@"^[A-Za-z0-9._][A-Za-z0-9._-]*\z")]
    private static partial Regex BareWord();

    // ---- MongoDB-style ----------------------------------------------------------------------------

    /// <summary>The tree as a MongoDB-style JSON query; see <see cref="Querying.MongoQueryParser"/>.</summary>
    public static string Mongo(FilterNode node, Random random) => node switch
    {
        AllOf { Terms.Count: 0 } => Object(AlwaysTrueField, """{"$exists":true}"""),
        AnyOf { Terms.Count: 0 } => Object(AlwaysTrueField, """{"$exists":false}"""),
        AllOf { Terms.Count: 1 } one when random.Next(2) == 0 => Mongo(one.Terms[0], random),
        AnyOf { Terms.Count: 1 } one when random.Next(2) == 0 => Mongo(one.Terms[0], random),
        AllOf all when random.Next(2) == 0 && MergedObject(all, random) is { } merged => merged,
        AllOf all => $$"""{"$and":[{{string.Join(",", all.Terms.Select(t => Mongo(t, random)))}}]}""",
        AnyOf any when random.Next(2) == 0 && InList(any, random) is { } list => list,
        AnyOf any => $$"""{"$or":[{{string.Join(",", any.Terms.Select(t => Mongo(t, random)))}}]}""",
        Negation { Term: AnyOf { Terms.Count: > 0 } any } when random.Next(2) == 0 =>
            $$"""{"$nor":[{{string.Join(",", any.Terms.Select(t => Mongo(t, random)))}}]}""",
        Negation { Term: Presence p } when random.Next(2) == 0 =>
            Object(MongoName(p.Field, p.LabelKey, random), random.Next(2) == 0 ? """{"$exists":false}""" : "null"),
        Negation { Term: Comparison c } when random.Next(2) == 0 && !RanksUnspecified(c.Field, c) =>
            Object(MongoName(c.Field, c.LabelKey, random), c.Comparator == Comparator.Equal || IsWildcardText(c) ? $$"""{"$ne":{{MongoValue(c, random)}}}""" : "{\"$not\":{" + MongoOperator(c) + ":" + MongoValue(c, random) + "}}"),
        Negation not => $$"""{"$not":{{Mongo(not.Term, random)}}}""",
        Presence p => Object(MongoName(p.Field, p.LabelKey, random), random.Next(2) == 0 ? """{"$exists":true}""" : """{"$ne":null}"""),
        Comparison c => MongoComparison(c, random),
        _ => throw new ArgumentOutOfRangeException(nameof(node), node, null),
    };

    private static string MongoComparison(Comparison c, Random random)
    {
        var name = MongoName(c.Field, c.LabelKey, random);
        var condition = c.Comparator == Comparator.Equal || IsWildcardText(c)
            ? random.Next(2) == 0 ? MongoValue(c, random) : $$"""{"$eq":{{MongoValue(c, random)}}}"""
            : $$"""{{{MongoOperator(c)}}:{{MongoValue(c, random)}}}""";
        var info = c.Field;
        return RanksUnspecified(info, c)
            ? $$"""{"$or":[{{Object(name, condition)}},{{Object(name, "0")}}]}"""
            : Object(name, condition);
    }

    /// <summary>AND of leaves on distinct fields as one object of several keys, else null.</summary>
    private static string? MergedObject(AllOf all, Random random)
    {
        if (!all.Terms.All(t => t is Comparison or Presence))
        {
            return null;
        }

        var printed = all.Terms.Select(t => Mongo(t, random)).ToArray();
        var members = printed.Select(p => JsonDocument.Parse(p).RootElement.EnumerateObject().ToArray()).ToArray();
        if (members.Any(m => m.Length != 1 || m[0].Name.StartsWith('$')))
        {
            return null;
        }

        var names = members.Select(m => m[0].Name).ToArray();
        return names.Distinct(StringComparer.Ordinal).Count() == names.Length
            ? "{" + string.Join(",", members.Select(m => $"{JsonSerializer.Serialize(m[0].Name)}:{m[0].Value.GetRawText()}")) + "}"
            : null;
    }

    /// <summary>OR of plain equalities on one field as $in, else null.</summary>
    private static string? InList(AnyOf any, Random random)
    {
        if (!any.Terms.All(t => t is Comparison { Comparator: Comparator.Equal } c && !(c.Value.Text?.Contains('*') ?? false)))
        {
            return null;
        }

        var comparisons = any.Terms.Cast<Comparison>().ToArray();
        if (comparisons.Any(c => c.Field != comparisons[0].Field || c.LabelKey != comparisons[0].LabelKey))
        {
            return null;
        }

        return Object(
            MongoName(comparisons[0].Field, comparisons[0].LabelKey, random),
            $$"""{"$in":[{{string.Join(",", comparisons.Select(c => MongoValue(c, random)))}}]}""");
    }

    private static string MongoValue(Comparison c, Random random)
    {
        var info = c.Field;
        return info.Kind switch
        {
            FieldKind.Text => JsonSerializer.Serialize(IsWildcardText(c) ? WildcardText(c) : EscapeStars(c.Value.Text!)),
            FieldKind.Enum => random.Next(2) == 0 ? c.Value.Number.ToString(CultureInfo.InvariantCulture) : JsonSerializer.Serialize(EnumName(info, c.Value.Number, random)),
            FieldKind.Boolean => c.Value.Number == 1 ? "true" : "false",
            FieldKind.Timestamp => JsonSerializer.Serialize(Time(c.Value.Number, random)),
            _ => c.Value.Number.ToString(CultureInfo.InvariantCulture),
        };
    }

    private static string MongoOperator(Comparison c) => c.Comparator switch
    {
        Comparator.Less => "\"$lt\"",
        Comparator.LessOrEqual => "\"$lte\"",
        Comparator.Greater => "\"$gt\"",
        Comparator.GreaterOrEqual => "\"$gte\"",
        _ => "\"$eq\"",
    };

    private static string MongoName(EventField field, string? key, Random random) => Name(field, key, random);

    private static string Object(string name, string condition) => $"{{{JsonSerializer.Serialize(name)}:{condition}}}";

    // ---- shared -------------------------------------------------------------------------------------

    /// <summary>The binder reads = and : on text as equality or a wildcard: a star at either end, "\*" for a star.</summary>
    private static bool IsWildcardText(Comparison c) =>
        c.Field.Kind == FieldKind.Text && c.Comparator is Comparator.Equal or Comparator.Prefix or Comparator.Suffix or Comparator.Contains;

    /// <summary>The binder's wildcard text: stars at the ends, "\*" for a star of the value.</summary>
    private static string WildcardText(Comparison c)
    {
        var (leading, trailing) = Stars(c.Comparator);
        return leading + EscapeStars(c.Value.Text!) + trailing;
    }

    private static (string Leading, string Trailing) Stars(Comparator comparator) => comparator switch
    {
        Comparator.Prefix => ("", "*"),
        Comparator.Suffix => ("*", ""),
        Comparator.Contains => ("*", "*"),
        _ => ("", ""),
    };

    /// <summary>The binder's text escapes (TextValue): "\\" for a backslash, "\*" for a star.</summary>
    private static string EscapeStars(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("*", "\\*", StringComparison.Ordinal);

    /// <summary>A raw &lt; or &lt;= on an ordered enum also holds for 0, which the binder's rank excludes.</summary>
    private static bool RanksUnspecified(EventField info, Comparison c) =>
        info.Kind == FieldKind.Enum && c.Comparator is Comparator.Less or Comparator.LessOrEqual;

    private static string Name(EventField field, string? key, Random random)
    {
        var name = field == EventField.Labels ? "labels." + key : field.Name;
        return random.Next(4) == 0 ? EventFields.AttributesPrefix + name : name;
    }

    private static string EnumName(EventField info, long number, Random random)
    {
        var full = info.Enum!.FindValueByNumber((int)number).Name;
        return random.Next(4) switch
        {
            0 => number.ToString(CultureInfo.InvariantCulture),
            1 => full,
            2 => full[(full.IndexOf('_', StringComparison.Ordinal) + 1)..].ToLowerInvariant(),
            _ => full[(full.IndexOf('_', StringComparison.Ordinal) + 1)..],
        };
    }

    /// <summary>An RFC 3339 time to the microsecond: in UTC, at another offset, or as MWS writes it ("... UTC").</summary>
    private static string Time(long micros, Random random)
    {
        var t = DateTimeOffset.UnixEpoch.AddTicks(micros * 10);
        return random.Next(3) switch
        {
            0 when t.Year is > 1 and < 9999 => t.ToOffset(TimeSpan.FromMinutes(150)).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture),
            1 => t.ToString("yyyy-MM-dd HH:mm:ss.ffffff' UTC'", CultureInfo.InvariantCulture),
            _ => t.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        };
    }

    private static string Symbol(Comparator comparator) => comparator switch
    {
        Comparator.Less => "<",
        Comparator.LessOrEqual => "<=",
        Comparator.Greater => ">",
        Comparator.GreaterOrEqual => ">=",
        _ => "=",
    };
}
