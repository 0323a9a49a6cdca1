using Tracker.Events.Storage;
using Tracker.Events.Validation;

namespace Tracker.Events.Querying;

/// <summary>
/// Parses an AIP-160 filter (https://google.aip.dev/160) into a <see cref="FilterNode"/>:
/// <code>
/// expression  = sequence { "AND" sequence }
/// sequence    = factor { factor }            (juxtaposition is AND)
/// factor      = term { "OR" term }           (OR binds tighter than AND)
/// term        = [ "NOT" | "-" ] simple
/// simple      = restriction | "(" expression ")"
/// restriction = field operator value          (operator: = != &lt; &lt;= &gt; &gt;= :)
/// </code>
/// Errors name the 1-based column and what was expected (README, "Searching"). A restriction
/// without an operator (AIP-160's global text search) is refused: <c>q</c> does full text.
/// </summary>
internal sealed class FilterParser
{
    private readonly List<FilterToken> _tokens;
    private readonly FilterBinder _binder = new();
    private int _next;

    private FilterParser(List<FilterToken> tokens) => _tokens = tokens;

    public static FilterParseResult Parse(string text)
    {
        if (TextRules.IsLongerThan(text, FilterBinder.MaxChars))
        {
            return FilterParseResult.Failed($"is {TextRules.CharCount(text)} characters long; at most {FilterBinder.MaxChars} are allowed", ViolationReasons.TooLong);
        }

        try
        {
            var parser = new FilterParser(FilterLexer.Tokenize(text));
            if (parser.Peek.Kind == FilterTokenKind.End)
            {
                return FilterParseResult.Of(new AllOf([]));
            }

            var node = parser.Expression(depth: 0);
            var rest = parser.Peek;
            if (rest.Kind != FilterTokenKind.End)
            {
                throw Error(rest, rest.Kind == FilterTokenKind.RightParen ? "unmatched \")\"" : $"unexpected {Describe(rest)}; expected AND, OR or the end of the filter");
            }

            return FilterParseResult.Of(node);
        }
        catch (FilterSyntaxException e)
        {
            return FilterParseResult.Failed(e.Description, e.Reason);
        }
    }

    private FilterToken Peek => _tokens[_next];

    private FilterNode Expression(int depth)
    {
        var sequences = new List<FilterNode> { Sequence(depth) };
        while (Peek.Kind == FilterTokenKind.And)
        {
            _next++;
            sequences.Add(Sequence(depth));
        }

        return sequences.Count == 1 ? sequences[0] : new AllOf(sequences);
    }

    private FilterNode Sequence(int depth)
    {
        var factors = new List<FilterNode> { Factor(depth) };
        while (Peek.Kind is FilterTokenKind.Word or FilterTokenKind.String or FilterTokenKind.LeftParen or FilterTokenKind.Not or FilterTokenKind.Minus)
        {
            factors.Add(Factor(depth));
        }

        return factors.Count == 1 ? factors[0] : new AllOf(factors);
    }

    private FilterNode Factor(int depth)
    {
        var terms = new List<FilterNode> { Term(depth) };
        while (Peek.Kind == FilterTokenKind.Or)
        {
            _next++;
            terms.Add(Term(depth));
        }

        return terms.Count == 1 ? terms[0] : new AnyOf(terms);
    }

    private FilterNode Term(int depth)
    {
        var token = Peek;
        if (token.Kind is FilterTokenKind.Not or FilterTokenKind.Minus)
        {
            _next++;
            FilterBinder.CheckDepth(depth + 1, Column(token));
            return new Negation(Simple(depth + 1));
        }

        return Simple(depth);
    }

    private FilterNode Simple(int depth)
    {
        var token = Peek;
        if (token.Kind == FilterTokenKind.LeftParen)
        {
            _next++;
            FilterBinder.CheckDepth(depth + 1, Column(token));
            if (Peek.Kind == FilterTokenKind.RightParen)
            {
                throw Error(Peek, "expected an expression inside the parentheses");
            }

            var inner = Expression(depth + 1);
            if (Peek.Kind != FilterTokenKind.RightParen)
            {
                throw Error(Peek, $"expected \")\" to close the \"(\" at column {token.Column}, found {Describe(Peek)}");
            }

            _next++;
            return inner;
        }

        return Restriction();
    }

    private FilterNode Restriction()
    {
        var field = Peek;
        switch (field.Kind)
        {
            case FilterTokenKind.Word:
                break;
            case FilterTokenKind.String:
                throw Error(field, "expected a field name, found a string; for full-text search use q");
            case FilterTokenKind.End:
                throw Error(field, "unexpected end of filter; expected a comparison such as service=\"payments\"");
            default:
                throw Error(field, $"expected a field name, found {Describe(field)}");
        }

        _next++;
        var op = Peek;
        if (op.Kind != FilterTokenKind.Operator)
        {
            var hint = field.Text is "and" or "or" or "not" ? "; AND, OR and NOT are written in upper case" : "; for full-text search use q";
            throw Error(op, $"expected an operator ({FilterBinder.OperatorList}) after \"{FilterBinder.Clip(field.Text)}\", found {Describe(op)}{hint}");
        }

        _next++;
        var value = Peek;
        if (value.Kind is not (FilterTokenKind.Word or FilterTokenKind.String))
        {
            throw Error(value, $"expected a value after \"{op.Text}\", found {Describe(value)}");
        }

        _next++;
        var literal = new Literal(value.Text, value.Kind == FilterTokenKind.String ? LiteralKind.Text : LiteralKind.Word);
        return _binder.Bind(field.Text, Operator(op.Text), literal, Column(field), Column(value));
    }

    private static FilterOperator Operator(string text) => text switch
    {
        "=" => FilterOperator.Equal,
        "!=" => FilterOperator.NotEqual,
        "<" => FilterOperator.Less,
        "<=" => FilterOperator.LessOrEqual,
        ">" => FilterOperator.Greater,
        ">=" => FilterOperator.GreaterOrEqual,
        _ => FilterOperator.Has,
    };

    private static string Column(FilterToken token) => $"column {token.Column}";

    private static FilterSyntaxException Error(FilterToken token, string message) => new(Column(token), message);

    private static string Describe(FilterToken token) => token.Kind switch
    {
        FilterTokenKind.End => "the end of the filter",
        FilterTokenKind.String => $"the string \"{FilterBinder.Clip(token.Text)}\"",
        _ => $"\"{FilterBinder.Clip(token.Text)}\"",
    };
}
