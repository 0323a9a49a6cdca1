using System.Text;
using Tracker.Events.Validation;

namespace Tracker.Events.Querying;

/// <summary>
/// Reads the JSON of a <c>query</c> as MongoDB's shell and its drivers' relaxed parsers read it
/// (the MWS seed writes <c>{code:33554946}</c>), and writes it back as strict JSON (RFC 8259)
/// for <see cref="System.Text.Json.JsonDocument"/>:
/// <code>
/// value  = object | array | string | number | true | false | null      (RFC 8259)
/// object = "{" [ key ":" value { "," key ":" value } ] "}"
/// key    = string | name
/// name   = ( A-Z a-z _ $ ) { A-Z a-z 0-9 _ $ . }                       (code, $in, associatedObjects.id)
/// string = '"' chars '"' | "'" chars "'"                                 (JSON's escapes, and \' for ')
/// </code>
/// Nothing else: no comments, trailing commas, unquoted values, NaN, hexadecimal numbers or
/// leading zeros, and no key twice in one object (MongoDB would keep only the last). Every
/// error says where it is ("line 1, column 9", counting Unicode characters) and what was expected.
/// Escapes are written back as they came (a \u escape stays one), so the reader of the strict
/// JSON sees the very strings the query holds.
/// </summary>
internal sealed class RelaxedJson
{
    /// <summary>Deeper than this, the query nests deeper than <see cref="FilterBinder.MaxDepth"/> levels, however it is spelt (two JSON levels per query level at most, and a few for a condition).</summary>
    private const int MaxJsonDepth = (2 * FilterBinder.MaxDepth) + 8;

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    private readonly string _text;
    private readonly StringBuilder _json;
    private int _at;

    private RelaxedJson(string text)
    {
        _text = text;
        _json = new StringBuilder(text.Length + 16);
    }

    /// <summary>The query as strict JSON.</summary>
    /// <exception cref="FilterSyntaxException">Where the text leaves the grammar, and what was expected there.</exception>
    public static string ToStrictJson(string text)
    {
        var reader = new RelaxedJson(text);
        reader.SkipSpace();
        if (reader.AtEnd)
        {
            throw reader.Error("expected an object such as {\"service\":\"payments\"}, found the end of the query");
        }

        reader.Value(depth: 0);
        reader.SkipSpace();
        if (!reader.AtEnd)
        {
            throw reader.Error($"expected the end of the query, found {reader.Found()}");
        }

        return reader._json.ToString();
    }

    private bool AtEnd => _at >= _text.Length;

    private char Next => _text[_at];

    private void Value(int depth)
    {
        if (depth > MaxJsonDepth)
        {
            throw Error($"nests deeper than {FilterBinder.MaxDepth} levels", ViolationReasons.TooMany);
        }

        if (AtEnd)
        {
            throw Error("expected a value, found the end of the query");
        }

        switch (Next)
        {
            case '{':
                Container('{', '}', depth, member: true);
                break;
            case '[':
                Container('[', ']', depth, member: false);
                break;
            case '"' or '\'':
                String();
                break;
            case '-' or (>= '0' and <= '9'):
                Number();
                break;
            default:
                var word = Name();
                if (word is not ("true" or "false" or "null"))
                {
                    throw Error(word.Length == 0
                        ? $"expected a value (a string, a number, true, false, null, an object or an array), found {Found()}"
                        : $"expected a value, found the bare word {word}; text is quoted: \"{FilterBinder.Clip(word)}\"", back: word.Length);
                }

                _json.Append(word);
                break;
        }
    }

    // An object's members, or an array's values, separated by commas.
    private void Container(char open, char close, int depth, bool member)
    {
        _json.Append(open);
        _at++;
        SkipSpace();
        if (!AtEnd && Next == close)
        {
            _json.Append(close);
            _at++;
            return;
        }

        // MongoDB keeps the last of two equal keys, JSON leaves it open (RFC 8259, section 4): refused, so no condition is lost unseen.
        var keys = member ? new HashSet<string>(StringComparer.Ordinal) : null;
        while (true)
        {
            if (keys is not null)
            {
                var keyAt = _at;
                var keyStart = _json.Length;
                Key();
                var key = _json.ToString(keyStart, _json.Length - keyStart);
                if (!keys.Add(key))
                {
                    throw Error($"the key {key} appears twice in one object; give each key once (several conditions on one field: {{{key}: {{\"$gte\": 1, \"$lte\": 9}}}}, or $and)", back: _at - keyAt);
                }

                SkipSpace();
                Expect(':', "after the key");
                SkipSpace();
            }

            Value(depth + 1);
            SkipSpace();
            if (!AtEnd && Next == ',')
            {
                _json.Append(',');
                _at++;
                SkipSpace();
                continue;
            }

            Expect(close, member ? $"or \",\" after a member of the object" : "or \",\" after a value of the array");
            return;
        }
    }

    private void Key()
    {
        if (!AtEnd && Next is '"' or '\'')
        {
            String();
            return;
        }

        var name = Name();
        if (name.Length == 0)
        {
            throw Error($"expected a key: a string, or a name such as code or associatedObjects.id; found {Found()}");
        }

        _json.Append('"').Append(name).Append('"');
    }

    // The longest name at the position (A-Z a-z _ $, then digits and dots too); "" when none.
    private string Name()
    {
        var start = _at;
        while (!AtEnd && (char.IsAsciiLetter(Next) || Next is '_' or '$' || (_at > start && (char.IsAsciiDigit(Next) || Next == '.'))))
        {
            _at++;
        }

        return _text[start.._at];
    }

    private void Expect(char expected, string context)
    {
        if (AtEnd || Next != expected)
        {
            throw Error($"expected \"{expected}\" {context}, found {Found()}");
        }

        _json.Append(expected);
        _at++;
    }

    private void String()
    {
        var quote = Next;
        var start = _at;
        _json.Append('"');
        _at++;
        while (true)
        {
            if (AtEnd)
            {
                _at = start;
                throw Error($"the string is not closed; expected a closing {quote}");
            }

            var c = Next;
            if (c == quote)
            {
                _json.Append('"');
                _at++;
                return;
            }

            if (c < ' ')
            {
                throw Error($"a string holds the control character U+{(int)c:X4}; write it as an escape (\\n, \\t, \\u{(int)c:x4})");
            }

            if (c == '\\')
            {
                Escape();
                continue;
            }

            // A double quote inside single quotes is escaped for strict JSON.
            if (c == '"')
            {
                _json.Append('\\');
            }

            _json.Append(c);
            _at++;
        }
    }

    private void Escape()
    {
        if (_at + 1 >= _text.Length)
        {
            throw Error("the string ends after a backslash; expected an escape such as \\n");
        }

        var escaped = _text[_at + 1];
        switch (escaped)
        {
            case '\'':
                _json.Append('\'');
                _at += 2;
                return;
            case '"' or '\\' or '/' or 'b' or 'f' or 'n' or 'r' or 't':
                _json.Append('\\').Append(escaped);
                _at += 2;
                return;
            case 'u' when _at + 6 <= _text.Length && !_text.AsSpan(_at + 2, 4).ContainsAnyExcept(HexDigits):
                _json.Append(_text, _at, 6);
                _at += 6;
                return;
            case 'u':
                throw Error("\\u takes four hexadecimal digits, e.g. \\u00e9");
            default:
                throw Error($"unknown escape \"\\{escaped}\"; strings know \\\" \\' \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
        }
    }

    // RFC 8259's number: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
    private void Number()
    {
        var start = _at;
        if (Next == '-')
        {
            _at++;
        }

        if (AtEnd || !char.IsAsciiDigit(Next))
        {
            throw Error($"expected a digit after \"-\", found {Found()}");
        }

        if (Next == '0')
        {
            _at++;
            if (!AtEnd && char.IsAsciiDigit(Next))
            {
                var end = _at;
                while (end < _text.Length && char.IsAsciiDigit(_text[end]))
                {
                    end++;
                }

                var typed = _text[start..end];
                var meant = (typed[0] == '-' ? "-" : string.Empty) + typed.TrimStart('-').TrimStart('0');
                throw Error($"a number has no leading zeros (RFC 8259): write {meant}, not {typed}; quote it (\"{typed}\") if it is text", back: _at - start);
            }
        }
        else
        {
            Digits();
        }

        if (!AtEnd && Next == '.')
        {
            _at++;
            RequireDigits("after the decimal point");
        }

        if (!AtEnd && Next is 'e' or 'E')
        {
            _at++;
            if (!AtEnd && Next is '+' or '-')
            {
                _at++;
            }

            RequireDigits("in the exponent");
        }

        _json.Append(_text, start, _at - start);
    }

    private void RequireDigits(string where)
    {
        if (AtEnd || !char.IsAsciiDigit(Next))
        {
            throw Error($"expected a digit {where}, found {Found()}");
        }

        Digits();
    }

    private void Digits()
    {
        while (!AtEnd && char.IsAsciiDigit(Next))
        {
            _at++;
        }
    }

    // RFC 8259's whitespace: space, tab, line feed, carriage return.
    private void SkipSpace()
    {
        while (!AtEnd && Next is ' ' or '\t' or '\n' or '\r')
        {
            _at++;
        }
    }

    private string Found()
    {
        if (AtEnd)
        {
            return "the end of the query";
        }

        Rune.DecodeFromUtf16(_text.AsSpan(_at), out var rune, out _);
        return rune.Value < ' ' ? $"U+{rune.Value:X4}" : rune.Value == '"' ? "'\"'" : $"\"{rune}\"";
    }

    /// <summary>An error at the position (<paramref name="back"/> characters before it): line and column, counted in Unicode characters.</summary>
    private FilterSyntaxException Error(string message, string reason = ViolationReasons.InvalidFormat, int back = 0)
    {
        var at = _at - back;
        var lineStart = at == 0 ? 0 : _text.LastIndexOf('\n', at - 1) + 1;
        var line = 1 + _text.AsSpan(0, lineStart).Count('\n');
        var column = 1 + _text[lineStart..at].EnumerateRunes().Count();
        return new FilterSyntaxException($"line {line}, column {column}", message, reason);
    }
}
