using System.Text.Json;
using Tracker.Events.Storage;
using Tracker.Events.Validation;

namespace Tracker.Events.Querying;

/// <summary>
/// Parses a MongoDB-style JSON query, the dialect of the MWS events API, into the same
/// <see cref="FilterNode"/> tree as <see cref="FilterParser"/> (README, "Searching"). The JSON
/// may be relaxed as MongoDB's parsers take it (<see cref="RelaxedJson"/>: <c>{code:33554946}</c>),
/// and fields may have their MWS names (<see cref="FieldVocabulary.Mws"/>: eventType, origin, ...):
/// <code>
/// query     = { key: condition, ... }                      (several keys: AND)
/// key       = field path ("severity", "resources.name", "labels.team") | "$and" | "$or" | "$nor" | "$not"
/// condition = literal                                       (equality)
///           | { "$eq"|"$ne"|"$gt"|"$gte"|"$lt"|"$lte": literal, "$in"|"$nin": [literal...],
///               "$exists": true|false, "$not": { operators } }
/// </code>
/// $and, $or and $nor take a non-empty array of queries; "$not" at the top takes a query.
/// A null literal means "not set" ($eq) or "set" ($ne). Errors give the JSON path of what is
/// wrong ($.severity.$in[2]), or the line and column of a syntax error (line 1, column 12).
/// </summary>
internal sealed class MongoQueryParser
{
    private static readonly string[] Operators = ["$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$exists", "$not"];
    private readonly FilterBinder _binder = new(vocabulary: FieldVocabulary.Mws);

    public static FilterParseResult Parse(string text)
    {
        if (TextRules.IsLongerThan(text, FilterBinder.MaxChars))
        {
            return FilterParseResult.Failed($"is {TextRules.CharCount(text)} characters long; at most {FilterBinder.MaxChars} are allowed", ViolationReasons.TooLong);
        }

        string json;
        try
        {
            json = RelaxedJson.ToStrictJson(text);
        }
        catch (FilterSyntaxException e)
        {
            return FilterParseResult.Failed(e.Description, e.Reason);
        }

        // RelaxedJson checked the grammar and the depth: what it writes always parses.
        var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = FilterBinder.MaxChars / 2 });
        using (document)
        {
            if (LoneSurrogateAt(document.RootElement, "$") is { } invalid)
            {
                return FilterParseResult.Failed($"{invalid} is not valid Unicode; a \\u escape gives half of a surrogate pair (\\ud800 to \\udfff) without its other half", ViolationReasons.InvalidFormat);
            }

            try
            {
                return FilterParseResult.Of(new MongoQueryParser().Query(document.RootElement, "$", depth: 0));
            }
            catch (FilterSyntaxException e)
            {
                return FilterParseResult.Failed(e.Description, e.Reason);
            }
        }
    }

    /// <summary>
    /// Where the first string or property name that is not valid Unicode is ("at $.title: the
    /// string", "at $: a property name"), or null.
    /// JSON's grammar lets a \u escape name a lone surrogate (RFC 8259, section 8.2), which no
    /// UTF-8 text or store column can hold; System.Text.Json parses it and throws only when the
    /// string is read, so every string is read once here, before the query is walked.
    /// </summary>
    private static string? LoneSurrogateAt(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!Readable(() => property.Name))
                    {
                        return $"at {path}: a property name";
                    }

                    if (LoneSurrogateAt(property.Value, Child(path, property.Name)) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (LoneSurrogateAt(item, $"{path}[{index++}]") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.String:
                return Readable(element.GetString) ? null : $"at {path}: the string";
            default:
                return null;
        }
    }

    private static bool Readable(Func<string?> read)
    {
        try
        {
            read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private FilterNode Query(JsonElement element, string path, int depth)
    {
        FilterBinder.CheckDepth(depth, path);
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FilterSyntaxException(path, $"expected an object of conditions, found {Kind(element)}");
        }

        var terms = new List<FilterNode>();
        foreach (var property in element.EnumerateObject())
        {
            var at = Child(path, property.Name);
            terms.Add(property.Name switch
            {
                "$and" => new AllOf(Queries(property.Value, at, depth)),
                "$or" => new AnyOf(Queries(property.Value, at, depth)),
                "$nor" => new Negation(new AnyOf(Queries(property.Value, at, depth))),
                "$not" => new Negation(Query(property.Value, at, depth + 1)),
                _ when property.Name.StartsWith('$') => throw new FilterSyntaxException(at, $"unknown operator \"{FilterBinder.Clip(property.Name)}\"; at the top: $and, $or, $nor, $not, or a field name", ViolationReasons.UnknownField),
                _ => Condition(property.Name, property.Value, at, depth),
            });
        }

        return terms.Count == 1 ? terms[0] : new AllOf(terms);
    }

    private List<FilterNode> Queries(JsonElement element, string path, int depth)
    {
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() == 0)
        {
            throw new FilterSyntaxException(path, $"expected a non-empty array of queries, found {Kind(element)}");
        }

        return element.EnumerateArray().Select((item, i) => Query(item, $"{path}[{i}]", depth + 1)).ToList();
    }

    private FilterNode Condition(string field, JsonElement value, string path, int depth)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return Compare(field, FilterOperator.Equal, value, path);
        }

        var names = value.EnumerateObject().Select(p => p.Name).ToArray();
        if (names.Length == 0 || names.Any(n => !n.StartsWith('$')))
        {
            throw new FilterSyntaxException(path, $"expected a value or an object of operators ({string.Join(" ", Operators)}); to reach into a field, use a dotted path such as \"resources.name\" or \"labels.team\"");
        }

        return Operations(field, value, path, depth);
    }

    private FilterNode Operations(string field, JsonElement operators, string path, int depth)
    {
        FilterBinder.CheckDepth(depth, path);
        var terms = new List<FilterNode>();
        foreach (var op in operators.EnumerateObject())
        {
            var at = Child(path, op.Name);
            terms.Add(op.Name switch
            {
                "$eq" => Compare(field, FilterOperator.Equal, op.Value, at),
                "$ne" => Compare(field, FilterOperator.NotEqual, op.Value, at),
                "$gt" => Compare(field, FilterOperator.Greater, op.Value, at),
                "$gte" => Compare(field, FilterOperator.GreaterOrEqual, op.Value, at),
                "$lt" => Compare(field, FilterOperator.Less, op.Value, at),
                "$lte" => Compare(field, FilterOperator.LessOrEqual, op.Value, at),
                "$in" => new AnyOf(In(field, op.Value, at)),
                "$nin" => new Negation(new AnyOf(In(field, op.Value, at))),
                "$exists" => op.Value.ValueKind is JsonValueKind.True or JsonValueKind.False
                    ? _binder.Exists(field, op.Value.GetBoolean(), at)
                    : throw new FilterSyntaxException(at, $"expected true or false, found {Kind(op.Value)}"),
                "$not" => op.Value.ValueKind == JsonValueKind.Object && op.Value.EnumerateObject().Any()
                    ? new Negation(Operations(field, op.Value, at, depth + 1))
                    : throw new FilterSyntaxException(at, $"expected an object of operators, found {Kind(op.Value)}"),
                _ => throw new FilterSyntaxException(at, $"unknown operator \"{FilterBinder.Clip(op.Name)}\"; expected one of {string.Join(" ", Operators)}", ViolationReasons.UnknownField),
            });
        }

        return terms.Count == 1 ? terms[0] : new AllOf(terms);
    }

    private List<FilterNode> In(string field, JsonElement values, string path)
    {
        if (values.ValueKind != JsonValueKind.Array)
        {
            throw new FilterSyntaxException(path, $"expected an array of values, found {Kind(values)}");
        }

        if (values.GetArrayLength() > FilterBinder.MaxInValues)
        {
            throw new FilterSyntaxException(path, $"has {values.GetArrayLength()} values; at most {FilterBinder.MaxInValues} are allowed", ViolationReasons.TooMany);
        }

        // One term for the whole list: $in is the cheap way to ask for many values.
        _binder.CountTerm(path);
        var binder = new FilterBinder(countsTerms: false, FieldVocabulary.Mws);
        return values.EnumerateArray().Select((value, i) => Compare(binder, field, FilterOperator.Equal, value, $"{path}[{i}]")).ToList();
    }

    private FilterNode Compare(string field, FilterOperator op, JsonElement value, string path) =>
        Compare(_binder, field, op, value, path);

    private static FilterNode Compare(FilterBinder binder, string field, FilterOperator op, JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Null && op is FilterOperator.Equal or FilterOperator.NotEqual)
        {
            return binder.Exists(field, exists: op == FilterOperator.NotEqual, path);
        }

        var literal = value.ValueKind switch
        {
            JsonValueKind.String => new Literal(value.GetString()!, LiteralKind.Text),
            JsonValueKind.Number => new Literal(value.GetRawText(), LiteralKind.Number),
            JsonValueKind.True or JsonValueKind.False => new Literal(value.GetRawText(), LiteralKind.Boolean),
            _ => throw new FilterSyntaxException(path, $"expected a string, a number or a boolean, found {Kind(value)}"),
        };
        return binder.Bind(field, op, literal, path, path);
    }

    private static string Child(string path, string name) =>
        name.All(c => char.IsLetterOrDigit(c) || c is '_' or '$' or '.') && name.Length <= 64 ? $"{path}.{name}" : $"{path}[\"{FilterBinder.Clip(name)}\"]";

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
