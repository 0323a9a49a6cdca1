using System.Globalization;
using Google.Protobuf.Reflection;
using Tracker.Events.Storage;
using Tracker.Events.Validation;

namespace Tracker.Events.Querying;

/// <summary>The comparison operators of both dialects, before they are bound to a field.</summary>
internal enum FilterOperator
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,

    /// <summary>AIP-160's ":" (has): presence with "*", else equality (any element of a repeated field).</summary>
    Has,
}

/// <summary>How a literal was written: quoted text, a bare word (filter), or a JSON number or boolean (query).</summary>
internal enum LiteralKind
{
    Text,
    Word,
    Number,
    Boolean,
}

internal readonly record struct Literal(string Text, LiteralKind Kind);

/// <summary>A parse or binding error: where it is (a column, a JSON path), what was expected, and its reason code.</summary>
internal sealed class FilterSyntaxException(string where, string message, string reason = ViolationReasons.InvalidFormat) : Exception(message)
{
    public string Description { get; } = $"at {where}: {message}";

    public string Reason { get; } = reason;

    /// <summary>
    /// This error with its message's first word, <paramref name="field"/> (Tracker's name of a
    /// field), read as <paramref name="asTyped"/> ("eventType (reason) is text"), so the error
    /// names the field as the query spelt it.
    /// </summary>
    public FilterSyntaxException Naming(string field, string asTyped) =>
        Message.StartsWith(field + " ", StringComparison.Ordinal)
            ? new FilterSyntaxException(where, $"{asTyped} ({field}){Message[field.Length..]}", Reason)
            : this;
}

/// <summary>
/// Binds one restriction (a field path, an operator, a literal) of either dialect to a
/// <see cref="FilterNode"/>, so <c>filter</c> and <c>query</c> mean exactly the same. It finds the field in <see cref="EventFields"/>, checks that the operator applies
/// (ordered enums by rank, AIP-160 §"Comparison"), converts the literal to the field's kind,
/// expands text wildcards ("pay*", "*pay", "*pay*"; "\*" is a star, "\\" a backslash) and bare dates (a whole UTC
/// day), and counts terms against <see cref="MaxTerms"/>. A dialect's own names (<see cref="FieldVocabulary"/>)
/// are read as the Tracker names they stand for.
/// </summary>
internal sealed class FilterBinder(bool countsTerms = true, FieldVocabulary? vocabulary = null)
{
    public const int MaxChars = 4096;
    public const int MaxDepth = 16;
    public const int MaxTerms = 64;
    public const int MaxInValues = 256;

    private const string Operators = "= != < <= > >= :";
    private readonly FieldVocabulary _vocabulary = vocabulary ?? FieldVocabulary.Tracker;
    private int _terms;

    public static string FieldNames { get; } = string.Join(", ", EventFields.All.Select(f => f.Name == "labels" ? "labels.<key>" : f.Name));

    /// <summary>Counts one term; past <see cref="MaxTerms"/>, an error at <paramref name="where"/>.</summary>
    public void CountTerm(string where)
    {
        if (countsTerms && ++_terms > MaxTerms)
        {
            throw new FilterSyntaxException(where, $"has more than {MaxTerms} comparisons; split the search or use $in", ViolationReasons.TooMany);
        }
    }

    /// <summary>Fails when <paramref name="depth"/> passes <see cref="MaxDepth"/>.</summary>
    public static void CheckDepth(int depth, string where)
    {
        if (depth > MaxDepth)
        {
            throw new FilterSyntaxException(where, $"nests deeper than {MaxDepth} levels", ViolationReasons.TooMany);
        }
    }

    /// <summary>"field op literal" as a node; a negated equality for !=.</summary>
    public FilterNode Bind(string path, FilterOperator op, Literal literal, string fieldWhere, string valueWhere)
    {
        CountTerm(fieldWhere);
        var typed = path;
        path = _vocabulary.Resolve(path, fieldWhere);
        if (EventFields.IsLabel(path, out var key))
        {
            return BindLabel(key, op, literal, fieldWhere, valueWhere);
        }

        var field = EventFields.Find(path);
        if (field is null || field == EventField.Labels)
        {
            if (field is not null && op == FilterOperator.Has && literal.Kind is LiteralKind.Text or LiteralKind.Word && literal.Text != "*")
            {
                // AIP-160: "m:k" is true when map m has key k.
                return new Presence(EventField.Labels, CheckLabelKey(literal.Text, valueWhere));
            }

            throw field is null
                ? new FilterSyntaxException(fieldWhere, $"unknown field \"{Clip(path)}\"; fields: {_vocabulary.FieldNames}", ViolationReasons.UnknownField)
                : new FilterSyntaxException(fieldWhere, "labels are compared by key: labels.<key>, e.g. labels.team=\"payments\", or labels:team for the key's presence");
        }

        if (op == FilterOperator.Has && IsStar(literal))
        {
            return new Presence(field);
        }

        try
        {
            return field.Kind switch
            {
                FieldKind.Text => Text(field, null, field.Name, op, literal, valueWhere),
                FieldKind.Enum => Ordered(field, op, EnumNumber(field, literal, valueWhere, _vocabulary), valueWhere),
                FieldKind.Integer => Ordered(field, op, Integer(field, literal, valueWhere), valueWhere),
                FieldKind.Boolean => Ordered(field, op, Boolean(field, literal, valueWhere), valueWhere),
                FieldKind.Timestamp => Time(field, op, literal, valueWhere),
                _ => throw new ArgumentOutOfRangeException(nameof(path)),
            };
        }
        catch (FilterSyntaxException e) when (typed != path)
        {
            throw e.Naming(field.Name, typed);
        }
    }

    /// <summary>$exists: the field is set, or not.</summary>
    public FilterNode Exists(string path, bool exists, string fieldWhere)
    {
        CountTerm(fieldWhere);
        path = _vocabulary.Resolve(path, fieldWhere);
        FilterNode presence;
        if (EventFields.IsLabel(path, out var key))
        {
            presence = new Presence(EventField.Labels, CheckLabelKey(key, fieldWhere));
        }
        else if (EventFields.Find(path) is { } field && field != EventField.Labels)
        {
            presence = new Presence(field);
        }
        else
        {
            throw new FilterSyntaxException(fieldWhere, $"unknown field \"{Clip(path)}\"; fields: {_vocabulary.FieldNames}", ViolationReasons.UnknownField);
        }

        return exists ? presence : new Negation(presence);
    }

    private static FilterNode BindLabel(string key, FilterOperator op, Literal literal, string fieldWhere, string valueWhere)
    {
        key = CheckLabelKey(key, fieldWhere);
        if (op == FilterOperator.Has && IsStar(literal))
        {
            return new Presence(EventField.Labels, key);
        }

        return Text(EventField.Labels, key, "labels." + key, op, literal, valueWhere);
    }

    private static string CheckLabelKey(string key, string where) =>
        key.Length > EventLimits.LabelKeyChars
            ? throw new FilterSyntaxException(where, $"label keys are at most {EventLimits.LabelKeyChars} characters", ViolationReasons.TooLong)
            : NulCharacters.In(key)
                ? throw new FilterSyntaxException(where, $"label keys are 1 to {EventLimits.LabelKeyChars} characters of A-Z, a-z, 0-9, '.', '_', '/', '-'", ViolationReasons.InvalidFormat)
                : key;

    private static FilterNode Text(EventField field, string? labelKey, string name, FilterOperator op, Literal literal, string where)
    {
        if (literal.Kind is LiteralKind.Number or LiteralKind.Boolean)
        {
            throw new FilterSyntaxException(where, $"{name} is text; expected a string, got {literal.Text}");
        }

        var text = literal.Text;
        if (op is FilterOperator.Equal or FilterOperator.NotEqual or FilterOperator.Has)
        {
            var node = WithoutNul(Wildcard(field, labelKey, text));
            return op == FilterOperator.NotEqual ? new Negation(node) : node;
        }

        return WithoutNul(new Comparison(field, Ordering(op), FilterValue.Of(Unescape(text)), labelKey));
    }

    /// <summary>
    /// The same comparison without NUL, which no stored text holds (NulCharacters) and which
    /// PostgreSQL cannot take as a parameter: NUL in an equality or a wildcard matches nothing; an ordering compares with the text before the NUL
    /// (x &lt; "a\0b" is x &lt;= "a", x &gt; "a\0b" is x &gt; "a"). So NUL is data, never an error.
    /// </summary>
    private static FilterNode WithoutNul(Comparison comparison)
    {
        var text = comparison.Value.Text!;
        var nul = text.IndexOf('\0', StringComparison.Ordinal);
        if (nul < 0)
        {
            return comparison;
        }

        if (comparison.Comparator is not (Comparator.Less or Comparator.LessOrEqual or Comparator.Greater or Comparator.GreaterOrEqual))
        {
            return new AnyOf([]);
        }

        var comparator = comparison.Comparator is Comparator.Less or Comparator.LessOrEqual ? Comparator.LessOrEqual : Comparator.Greater;
        return comparison with { Comparator = comparator, Value = FilterValue.Of(text[..nul]) };
    }

    // A star at either end is a wildcard; "\*" is a star and "\\" a backslash.
    private static Comparison Wildcard(EventField field, string? labelKey, string text)
    {
        var (core, leading, trailing) = TextValue.Read(text);
        var comparator = (leading, trailing) switch
        {
            (true, true) => Comparator.Contains,
            (true, false) => Comparator.Suffix,
            (false, true) => Comparator.Prefix,
            _ => Comparator.Equal,
        };
        return new Comparison(field, comparator, FilterValue.Of(core), labelKey);
    }

    private static string Unescape(string text) => TextValue.Read(text, wildcards: false).Text;

    private static FilterNode Ordered(EventField field, FilterOperator op, long value, string where)
    {
        switch (op)
        {
            case FilterOperator.Equal or FilterOperator.Has:
                return new Comparison(field, Comparator.Equal, FilterValue.Of(value));
            case FilterOperator.NotEqual:
                return new Negation(new Comparison(field, Comparator.Equal, FilterValue.Of(value)));
        }

        if (!field.Ordered)
        {
            throw new FilterSyntaxException(where, $"{field.Name} has no order; use = or != (or {(field.Kind == FieldKind.Enum ? "several values with OR or $in" : "true or false")})");
        }

        var comparison = new Comparison(field, Ordering(op), FilterValue.Of(value));
        if (field.Kind != FieldKind.Enum)
        {
            return comparison;
        }

        // By rank: UNSPECIFIED (0) has none, so it never satisfies an ordering.
        if (value == 0)
        {
            throw new FilterSyntaxException(where, $"{field.Enum!.Values[0].Name} has no rank; to find events with any {field.Name}, use {field.Name}:*");
        }

        return op is FilterOperator.Less or FilterOperator.LessOrEqual
            ? new AllOf([comparison, new Comparison(field, Comparator.GreaterOrEqual, FilterValue.Of(1))])
            : comparison;
    }

    private static Comparator Ordering(FilterOperator op) => op switch
    {
        FilterOperator.Less => Comparator.Less,
        FilterOperator.LessOrEqual => Comparator.LessOrEqual,
        FilterOperator.Greater => Comparator.Greater,
        FilterOperator.GreaterOrEqual => Comparator.GreaterOrEqual,
        _ => Comparator.Equal,
    };

    private static long EnumNumber(EventField field, Literal literal, string where, FieldVocabulary vocabulary)
    {
        var values = field.Enum!.Values;
        var expected = $"expected one of {Names(values)}{vocabulary.EnumWordsOf(field)} or its number";
        if (literal.Kind == LiteralKind.Boolean)
        {
            throw new FilterSyntaxException(where, $"{field.Name} is an enum; {expected}, got {literal.Text}");
        }

        if (long.TryParse(literal.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return values.Any(v => v.Number == number)
                ? number
                : throw new FilterSyntaxException(where, $"{field.Name} has no value {number}; {expected}", ViolationReasons.UndefinedEnumValue);
        }

        // The full name (SEVERITY_ERROR), or the name without its prefix (ERROR), any case; or the dialect's word for it.
        var name = vocabulary.EnumName(field, literal.Text);
        var prefix = values[0].Name[..(values[0].Name.IndexOf('_', StringComparison.Ordinal) + 1)];
        var match = values.FirstOrDefault(v =>
            string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase)
            || string.Equals(v.Name, prefix + name, StringComparison.OrdinalIgnoreCase));
        return match?.Number
            ?? throw new FilterSyntaxException(where, $"{field.Name} has no value \"{Clip(literal.Text)}\"; {expected}", ViolationReasons.UndefinedEnumValue);
    }

    private static string Names(IEnumerable<EnumValueDescriptor> values) => string.Join(", ", values.Select(v => v.Name));

    private static long Integer(EventField field, Literal literal, string where) =>
        literal.Kind != LiteralKind.Boolean && long.TryParse(literal.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new FilterSyntaxException(where, $"{field.Name} is a whole number; expected an integer, got {Quote(literal)}");

    private static long Boolean(EventField field, Literal literal, string where) =>
        literal.Text switch
        {
            "true" => 1,
            "false" => 0,
            _ => throw new FilterSyntaxException(where, $"{field.Name} is a boolean; expected true or false, got {Quote(literal)}"),
        };

    private static FilterNode Time(EventField field, FilterOperator op, Literal literal, string where)
    {
        // MWS writes "2025-01-27 12:08:00 UTC".
        var text = literal.Text.EndsWith(" UTC", StringComparison.Ordinal) ? literal.Text[..^4] + "Z" : literal.Text;
        if (literal.Kind is LiteralKind.Number or LiteralKind.Boolean || SearchDateParser.Parse(text) is not { } parsed)
        {
            throw new FilterSyntaxException(where, $"{field.Name} is a time; expected an RFC 3339 time (\"2024-01-15T10:00:00Z\", quoted in a filter), a date (2024-01-15) or \"2024-01-15 10:00:00 UTC\", got {Quote(literal)}");
        }

        var start = EventKeys.ToMicros(parsed.Instant);
        if (!parsed.DateOnly)
        {
            return Ordered(field, op, start, where);
        }

        // A date is its whole UTC day: = is within it, < before it, > after it.
        var end = start + (TimeSpan.TicksPerDay / TimeSpan.TicksPerMicrosecond) - 1;
        var within = new AllOf([
            new Comparison(field, Comparator.GreaterOrEqual, FilterValue.Of(start)),
            new Comparison(field, Comparator.LessOrEqual, FilterValue.Of(end)),
        ]);
        return op switch
        {
            FilterOperator.Equal or FilterOperator.Has => within,
            FilterOperator.NotEqual => new Negation(within),
            FilterOperator.Less => new Comparison(field, Comparator.Less, FilterValue.Of(start)),
            FilterOperator.LessOrEqual => new Comparison(field, Comparator.LessOrEqual, FilterValue.Of(end)),
            FilterOperator.Greater => new Comparison(field, Comparator.Greater, FilterValue.Of(end)),
            _ => new Comparison(field, Comparator.GreaterOrEqual, FilterValue.Of(start)),
        };
    }

    private static bool IsStar(Literal literal) => literal is { Text: "*", Kind: LiteralKind.Word or LiteralKind.Text };

    private static string Quote(Literal literal) => literal.Kind == LiteralKind.Text ? $"\"{Clip(literal.Text)}\"" : Clip(literal.Text);

    public static string Clip(string text) => text.Length <= 64 ? text : text[..64] + "…";

    public static string OperatorList => Operators;
}

/// <summary>
/// Reads a text value of either dialect: "\*" is a star and "\\" a backslash (any other
/// backslash is itself); with wildcards, an unescaped star first or last marks a suffix or
/// prefix match ("*" alone matches every text).
/// </summary>
internal static class TextValue
{
    public static (string Text, bool Leading, bool Trailing) Read(string raw, bool wildcards = true)
    {
        var text = new System.Text.StringBuilder(raw.Length);
        var leading = wildcards && raw.StartsWith('*');
        var trailing = false;
        for (var i = leading ? 1 : 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '\\' && i + 1 < raw.Length && raw[i + 1] is '*' or '\\')
            {
                text.Append(raw[++i]);
            }
            else if (wildcards && c == '*' && i == raw.Length - 1)
            {
                trailing = true;
            }
            else
            {
                text.Append(c);
            }
        }

        return (text.ToString(), leading, trailing);
    }
}
