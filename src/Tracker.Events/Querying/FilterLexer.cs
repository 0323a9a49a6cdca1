using System.Text;

namespace Tracker.Events.Querying;

internal enum FilterTokenKind
{
    Word,
    String,
    Operator,
    LeftParen,
    RightParen,
    And,
    Or,
    Not,
    Minus,
    End,
}

/// <param name="Kind">What the token is.</param>
/// <param name="Text">Its text; for a string, unquoted and unescaped.</param>
/// <param name="Column">1-based, in UTF-16 characters of the filter.</param>
internal readonly record struct FilterToken(FilterTokenKind Kind, string Text, int Column);

/// <summary>
/// Splits an AIP-160 filter into tokens. A word runs until space or one of ()"'=&lt;&gt;!: ; so
/// "payments-api", "labels.team", "pay*" and 2024-01-15 are words, and an RFC 3339 time, which
/// holds colons, must be quoted. Strings take "..." or '...' with \" \' \n \t escapes; "\*" and
/// "\\" are kept as they are for the binder, whose text values share them with JSON's (a star, a
/// backslash). AND, OR and NOT are keywords in upper case only
/// (AIP-160); a "-" that starts a term negates it. After an operator, the next word is always a
/// value, even "AND" or "-5".
/// </summary>
internal static class FilterLexer
{
    public static List<FilterToken> Tokenize(string text)
    {
        var tokens = new List<FilterToken>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i == text.Length)
            {
                tokens.Add(new FilterToken(FilterTokenKind.End, string.Empty, i + 1));
                return tokens;
            }

            var afterOperator = tokens.Count > 0 && tokens[^1].Kind == FilterTokenKind.Operator;
            var c = text[i];
            var start = i;
            switch (c)
            {
                case '(':
                    tokens.Add(new FilterToken(FilterTokenKind.LeftParen, "(", ++i));
                    continue;
                case ')':
                    tokens.Add(new FilterToken(FilterTokenKind.RightParen, ")", ++i));
                    continue;
                case '"' or '\'':
                    tokens.Add(new FilterToken(FilterTokenKind.String, ReadString(text, ref i), start + 1));
                    continue;
                case '=' or ':':
                    tokens.Add(new FilterToken(FilterTokenKind.Operator, c.ToString(), ++i));
                    continue;
                case '<' or '>' or '!':
                    i++;
                    if (i < text.Length && text[i] == '=')
                    {
                        i++;
                    }
                    else if (c == '!')
                    {
                        throw new FilterSyntaxException($"column {start + 1}", "expected \"!=\"; for negation use NOT or -");
                    }

                    tokens.Add(new FilterToken(FilterTokenKind.Operator, text[start..i], start + 1));
                    continue;
                case '-' when !afterOperator && i + 1 < text.Length && !char.IsWhiteSpace(text[i + 1]):
                    tokens.Add(new FilterToken(FilterTokenKind.Minus, "-", ++i));
                    continue;
            }

            while (i < text.Length && !char.IsWhiteSpace(text[i]) && "()\"'=<>!:".IndexOf(text[i]) < 0)
            {
                i++;
            }

            var word = text[start..i];
            var kind = afterOperator ? FilterTokenKind.Word : word switch
            {
                "AND" => FilterTokenKind.And,
                "OR" => FilterTokenKind.Or,
                "NOT" => FilterTokenKind.Not,
                _ => FilterTokenKind.Word,
            };
            tokens.Add(new FilterToken(kind, word, start + 1));
        }
    }

    private static string ReadString(string text, ref int i)
    {
        var quote = text[i];
        var start = i;
        var value = new StringBuilder();
        i++;
        while (i < text.Length && text[i] != quote)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                var escaped = text[i + 1];
                value.Append(escaped switch
                {
                    'n' => "\n",
                    't' => "\t",
                    '*' => "\\*",
                    '\\' => "\\\\",
                    '"' or '\'' => escaped.ToString(),
                    _ => throw new FilterSyntaxException($"column {i + 1}", $"unknown escape \"\\{escaped}\"; strings know \\\" \\' \\\\ \\* \\n \\t"),
                });
                i += 2;
                continue;
            }

            value.Append(text[i++]);
        }

        if (i == text.Length)
        {
            throw new FilterSyntaxException($"column {start + 1}", $"string is not closed; expected a closing {quote}");
        }

        i++;
        return value.ToString();
    }
}
