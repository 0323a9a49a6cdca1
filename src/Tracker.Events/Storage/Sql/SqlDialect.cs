namespace Tracker.Events.Storage.Sql;

/// <summary>
/// What one store's SQL says its own way, for the one back end (<see cref="SqlFilterCompiler"/>,
/// <see cref="SqlOrder"/>) that makes every other decision. An instance serves one statement: it
/// owns that statement's parameters. Only names from the field declarations and the hooks' own
/// SQL are spliced into the text; every value goes in a parameter.
/// </summary>
public abstract class SqlDialect
{
    /// <summary>A condition that always holds ("1", "true").</summary>
    public abstract string True { get; }

    /// <summary>A condition that never holds ("0", "false").</summary>
    public abstract string False { get; }

    /// <summary>long.MinValue as an integer literal of the dialect: what an unset optional time sorts as.</summary>
    public abstract string MinInt64 { get; }

    /// <summary>A column of the events table, as the statement names it.</summary>
    public virtual string Column(string name) => name;

    /// <summary>Adds a text value; returns its placeholder.</summary>
    public abstract string Parameter(string value);

    /// <summary>Adds a 64-bit integer; returns its placeholder.</summary>
    public abstract string Parameter(long value);

    /// <summary>
    /// A wildcard test (<see cref="Comparator.Prefix"/>, <see cref="Comparator.Suffix"/>,
    /// <see cref="Comparator.Contains"/>) of <paramref name="expression"/> by its UTF-8 bytes, with
    /// no LIKE ('%', '_' and '\' are data); never NULL for a NOT NULL expression.
    /// </summary>
    public abstract string TextMatch(string expression, Comparator comparator, string value);

    /// <summary>
    /// Holds when any element of a field with many values (<see cref="FieldStorage.Many"/>) passes
    /// <paramref name="test"/>: for labels, the value of the test's key. Never NULL.
    /// </summary>
    public abstract string AnyElement(FieldStorage storage, ElementTest test);

    /// <summary>
    /// Holds when a field with many values is set: a list not empty, a resource with the member
    /// set, the label <paramref name="labelKey"/> present (any label when null). Never NULL.
    /// </summary>
    public abstract string AnyPresent(FieldStorage storage, string? labelKey);

    /// <summary>Holds when every word starts a word of the title or message; null without words.</summary>
    public abstract string? FullText(IReadOnlyList<string> words);
}

/// <summary>
/// A text comparison of one element, as <see cref="SqlDialect.AnyElement"/> receives it: the
/// comparator, the value, the label key (labels only), and <see cref="On"/>, which writes the
/// comparison on an element expression the dialect chooses (in the dialect's binary collation).
/// </summary>
public sealed class ElementTest(Comparator comparator, string value, string? labelKey, Func<string, string> on)
{
    public Comparator Comparator { get; } = comparator;

    public string Value { get; } = value;

    public string? LabelKey { get; } = labelKey;

    /// <summary>The comparison on <paramref name="expression"/>: "expression = $p", a wildcard test, ...</summary>
    public string On(string expression) => on(expression);
}
