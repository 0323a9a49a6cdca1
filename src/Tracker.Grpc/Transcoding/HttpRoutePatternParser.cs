namespace Tracker.Grpc.Transcoding;

/// <summary>
/// Parses a <c>google.api.http</c> path template, one method per grammar rule:
/// <code>
/// Template  = "/" Segments [ Verb ] ;
/// Segments  = Segment { "/" Segment } ;
/// Segment   = "*" | "**" | LITERAL | Variable ;
/// Variable  = "{" FieldPath [ "=" Segments ] "}" ;
/// FieldPath = IDENT { "." IDENT } ;
/// Verb      = ":" LITERAL ;
/// </code>
/// plus the rules the grammar leaves to prose: "**" only as the last segment, variables not
/// nested, each field bound once. Errors are <see cref="FormatException"/>s naming the position.
/// </summary>
internal sealed class HttpRoutePatternParser
{
    private readonly string _template;
    private readonly List<PatternSegment> _segments = [];
    private readonly List<PatternVariable> _variables = [];
    private int _position;
    private bool _inVariable;
    private string? _verb;

    private HttpRoutePatternParser(string template)
    {
        _template = template;
    }

    public static HttpRoutePattern Parse(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var parser = new HttpRoutePatternParser(template);
        parser.ParseTemplate();
        return new HttpRoutePattern(template, parser._segments, parser._variables, parser._verb);
    }

    private bool AtEnd => _position >= _template.Length;

    private char Current => _template[_position];

    // Template = "/" Segments [ Verb ] ;
    private void ParseTemplate()
    {
        Expect('/');
        ParseSegments();
        if (!AtEnd && Current == ':')
        {
            ParseVerb();
        }

        if (!AtEnd)
        {
            throw Unexpected();
        }
    }

    // Segments = Segment { "/" Segment } ;
    private void ParseSegments()
    {
        ParseSegment();
        while (!AtEnd && Current == '/')
        {
            _position++;
            ParseSegment();
        }
    }

    // Segment = "*" | "**" | LITERAL | Variable ;
    private void ParseSegment()
    {
        if (_segments.Count > 0 && _segments[^1].Kind == PatternSegmentKind.AnyRemaining)
        {
            throw Error("'**' must be the last segment; found another segment");
        }

        if (AtEnd)
        {
            throw Error("Expected a segment");
        }

        switch (Current)
        {
            case '*':
                _position++;
                if (!AtEnd && Current == '*')
                {
                    _position++;
                    _segments.Add(new PatternSegment(PatternSegmentKind.AnyRemaining));
                }
                else
                {
                    _segments.Add(new PatternSegment(PatternSegmentKind.AnySegment));
                }

                break;
            case '{':
                ParseVariable();
                break;
            default:
                _segments.Add(new PatternSegment(PatternSegmentKind.Literal, ParseLiteral("a segment")));
                break;
        }
    }

    // Variable = "{" FieldPath [ "=" Segments ] "}" ;
    private void ParseVariable()
    {
        if (_inVariable)
        {
            throw Error("Variables cannot be nested");
        }

        var start = _position;
        Expect('{');
        _inVariable = true;
        var fieldPath = ParseFieldPath();
        var firstSegment = _segments.Count;
        if (!AtEnd && Current == '=')
        {
            _position++;
            ParseSegments();
        }
        else
        {
            _segments.Add(new PatternSegment(PatternSegmentKind.AnySegment));
        }

        Expect('}');
        _inVariable = false;
        var variable = new PatternVariable(fieldPath, firstSegment, _segments.Count);
        if (_variables.Any(v => v.FieldPathText == variable.FieldPathText))
        {
            _position = start;
            throw Error($"Field '{variable.FieldPathText}' is bound twice");
        }

        _variables.Add(variable);
    }

    // FieldPath = IDENT { "." IDENT } ;
    private List<string> ParseFieldPath()
    {
        var path = new List<string> { ParseIdent() };
        while (!AtEnd && Current == '.')
        {
            _position++;
            path.Add(ParseIdent());
        }

        return path;
    }

    // IDENT = letter or "_", then letters, digits and "_".
    private string ParseIdent()
    {
        var start = _position;
        if (AtEnd || !(char.IsAsciiLetter(Current) || Current == '_'))
        {
            throw Error("Expected a field name");
        }

        while (!AtEnd && (char.IsAsciiLetterOrDigit(Current) || Current == '_'))
        {
            _position++;
        }

        return _template[start.._position];
    }

    // Verb = ":" LITERAL ;
    private void ParseVerb()
    {
        if (_inVariable)
        {
            throw Unexpected();
        }

        Expect(':');
        _verb = ParseLiteral("a verb");
    }

    // LITERAL = one or more URL path characters other than the template's own delimiters.
    private string ParseLiteral(string what)
    {
        var start = _position;
        while (!AtEnd && IsLiteralChar(Current))
        {
            _position++;
        }

        if (_position == start)
        {
            throw AtEnd || Current == '/' || Current == '}' ? Error($"Expected {what}") : Unexpected();
        }

        return _template[start.._position];
    }

    private static bool IsLiteralChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || "-._~%!$&'()+,;@".Contains(c);

    private void Expect(char expected)
    {
        if (AtEnd || Current != expected)
        {
            throw Error($"Expected '{expected}'");
        }

        _position++;
    }

    private FormatException Unexpected() => AtEnd
        ? Error("Unexpected end of template")
        : Error($"Unexpected character '{Current}'");

    private FormatException Error(string message) => new($"{message} at position {_position}.");
}
