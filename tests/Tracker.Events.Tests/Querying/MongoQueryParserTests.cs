using Tracker.Events.Querying;
using Tracker.Events.Tests.Support;
using Xunit;

namespace Tracker.Events.Tests.Querying;

/// <summary>The MongoDB-style dialect (the MWS events API's): what each query means, its errors, and that it means what the same filter means.</summary>
public sealed class MongoQueryParserTests
{
    public static TheoryData<string, string> Valid => new()
    {
        { "{}", "AND()" },
        { "{\"service\":\"payments\"}", "service = \"payments\"" },
        { "{\"service\":\"payments\",\"type\":\"TYPE_INCIDENT\"}", "AND(service = \"payments\", type = 4)" },
        { "{\"severity\":{\"$in\":[\"ERROR\",\"WARNING\"]}}", "OR(severity = 3, severity = 2)" },
        { "{\"severity\":{\"$nin\":[\"SEVERITY_ERROR\",4]}}", "NOT(OR(severity = 3, severity = 4))" },
        { "{\"owner\":{\"$ne\":\"sandbox\"}}", "NOT(owner = \"sandbox\")" },
        { "{\"created_at\":{\"$gte\":\"2025-01-27 12:08:00 UTC\",\"$lte\":\"2025-01-28\"}}", "AND(created_at >= 1737979680000000, created_at <= 1738108799999999)" },
        { "{\"code\":{\"$gt\":399,\"$lt\":500}}", "AND(code > 399, code < 500)" },
        { "{\"notification\":true}", "notification = 1" },
        { "{\"labels.team\":{\"$exists\":true}}", "labels.team SET" },
        { "{\"end_date\":{\"$exists\":false}}", "NOT(end_date SET)" },
        { "{\"owner\":null}", "NOT(owner SET)" },
        { "{\"owner\":{\"$ne\":null}}", "owner SET" },
        { "{\"resources.name\":\"api-7d9\"}", "resources.name = \"api-7d9\"" },
        { "{\"attributes.priority\":{\"$lte\":\"PRIORITY_P2\"}}", "AND(priority <= 2, priority >= 1)" },
        { "{\"code\":{\"$not\":{\"$gt\":5}}}", "NOT(code > 5)" },
        { "{\"$or\":[{\"type\":\"TYPE_INCIDENT\"},{\"status\":4}]}", "OR(type = 4, status = 4)" },
        { "{\"$and\":[{\"service\":\"a\"},{\"service\":\"b\"}]}", "AND(service = \"a\", service = \"b\")" },
        { "{\"$nor\":[{\"service\":\"a\"},{\"owner\":\"b\"}]}", "NOT(OR(service = \"a\", owner = \"b\"))" },
        { "{\"$not\":{\"service\":\"a\"}}", "NOT(service = \"a\")" },
        { "{\"service\":\"pay*\"}", "service starts-with \"pay\"" },
        { "{\"owner\":\"ops\\\\\\\\*\"}", "owner starts-with \"ops\\\"" },
        { "{\"owner\":\"\\\\*x\"}", "owner = \"*x\"" },
        { "{\"title\":\"'; DROP TABLE events; -- \\\"\"}", "title = \"'; DROP TABLE events; -- \"\"" },
        { "{\"title\":\"a\\u0000b\"}", "OR()" },
    };

    public static TheoryData<string, string> Invalid => new()
    {
        { "{\"service\":", "at line 1, column 12: expected a value, found the end of the query" },
        { "[1]", "at $: expected an object of conditions, found an array" },
        { "{\"foo\":1}", "at $.foo: unknown field \"foo\"; fields: title, id, created_at, updated_at, message, source, type, priority, related_id, service, status, environment, impact, start_date, end_date, owner, severity, reason, code, notification, count, aggregation_key, stake_holders, notifications, arguments, resources.kind, resources.id, resources.name, resources.namespace, labels.<key>; MWS names: eventType, origin, eventDate, associatedObjects.<id|_id|type|kind|name|namespace>" },
        { "{\"$where\":\"1\"}", "at $.$where: unknown operator \"$where\"; at the top: $and, $or, $nor, $not, or a field name" },
        { "{\"severity\":{\"$regex\":\"x\"}}", "at $.severity.$regex: unknown operator \"$regex\"; expected one of $eq $ne $gt $gte $lt $lte $in $nin $exists $not" },
        { "{\"resources\":{\"name\":\"x\"}}", "at $.resources: expected a value or an object of operators ($eq $ne $gt $gte $lt $lte $in $nin $exists $not); to reach into a field, use a dotted path such as \"resources.name\" or \"labels.team\"" },
        { "{\"severity\":{\"$in\":\"ERROR\"}}", "at $.severity.$in: expected an array of values, found a string" },
        { "{\"severity\":{\"$in\":[\"ERROR\",\"LOUD\"]}}", "at $.severity.$in[1]: severity has no value \"LOUD\"; expected one of SEVERITY_UNSPECIFIED, SEVERITY_NORMAL, SEVERITY_WARNING, SEVERITY_ERROR, SEVERITY_ALERT (or MWS's INFO, WARN, WARNING, ERROR, FATAL) or its number" },
        { "{\"service\":1}", "at $.service: service is text; expected a string, got 1" },
        { "{\"eventType\":{\"$gt\":1}}", "at $.eventType.$gt: eventType (reason) is text; expected a string, got 1" },
        { "{\"code\":1.5}", "at $.code: code is a whole number; expected an integer, got 1.5" },
        { "{\"created_at\":{\"$gt\":1700000000}}", "at $.created_at.$gt: created_at is a time; expected an RFC 3339 time (\"2024-01-15T10:00:00Z\", quoted in a filter), a date (2024-01-15) or \"2024-01-15 10:00:00 UTC\", got 1700000000" },
        { "{\"service\":[\"a\"]}", "at $.service: expected a string, a number or a boolean, found an array" },
        { "{\"$or\":[]}", "at $.$or: expected a non-empty array of queries, found an array" },
        { "{\"$or\":{\"a\":1}}", "at $.$or: expected a non-empty array of queries, found an object" },
        { "{\"owner\":{\"$exists\":1}}", "at $.owner.$exists: expected true or false, found a number" },
        { "{\"owner\":{\"$gt\":null}}", "at $.owner.$gt: expected a string, a number or a boolean, found null" },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Parse_ValidQuery_MeansThisTree(string query, string expected)
    {
        var result = MongoQueryParser.Parse(query);

        Assert.Null(result.Error);
        Assert.Equal(expected, FilterText.Print(result.Node!));
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Parse_InvalidQuery_SaysWhereAndWhatWasExpected(string query, string expected)
    {
        var result = MongoQueryParser.Parse(query);

        Assert.Null(result.Node);
        Assert.Equal(expected, result.Error!.Description);
    }

    [Fact]
    public void Parse_InWith256Values_Parses_257TooMany()
    {
        static string In(int count) => "{\"code\":{\"$in\":[" + string.Join(",", Enumerable.Range(0, count)) + "]}}";

        Assert.Null(MongoQueryParser.Parse(In(256)).Error);
        var error = MongoQueryParser.Parse(In(257)).Error!;
        Assert.Equal("at $.code.$in: has 257 values; at most 256 are allowed", error.Description);
        Assert.Equal("TOO_MANY", error.Reason);
    }

    [Fact]
    public void Parse_SixtyFiveConditions_TooMany()
    {
        static string Or(int count) => "{\"$or\":[" + string.Join(",", Enumerable.Repeat("{\"code\":1}", count)) + "]}";

        Assert.Null(MongoQueryParser.Parse(Or(64)).Error);
        Assert.Equal("at $.$or[64].code: has more than 64 comparisons; split the search or use $in", MongoQueryParser.Parse(Or(65)).Error!.Description);
    }

    [Fact]
    public void Parse_SeventeenLevels_TooDeep()
    {
        static string Nested(int levels) => string.Concat(Enumerable.Repeat("{\"$not\":", levels)) + "{\"code\":1}" + new string('}', levels);

        Assert.Null(MongoQueryParser.Parse(Nested(16)).Error);
        Assert.Equal("TOO_MANY", MongoQueryParser.Parse(Nested(17)).Error!.Reason);
    }

    /// <summary>Any nesting past the limit is told as the depth rule, however deep: never "not valid JSON".</summary>
    [Theory]
    [InlineData(17)]
    [InlineData(31)]
    [InlineData(300)]
    public void Parse_NestedAndsPastTheLimit_SaysHowDeepItMayNest(int levels)
    {
        var query = string.Concat(Enumerable.Repeat("{\"$and\":[", levels)) + "{\"code\":1}" + string.Concat(Enumerable.Repeat("]}", levels));

        var error = MongoQueryParser.Parse(query).Error!;

        Assert.Equal("TOO_MANY", error.Reason);
        Assert.EndsWith("nests deeper than 16 levels", error.Description, StringComparison.Ordinal);
    }

    /// <summary>
    /// JSON escapes that name half of a UTF-16 surrogate pair, in every place a query holds a
    /// string: a value, a field name, an operator, an array element, a nested query, a label key.
    /// </summary>
    public static TheoryData<string, string> LoneSurrogates => new()
    {
        { """{"title":"\ud800"}""", "at $.title: the string" },
        { """{"title":"a\udc00b"}""", "at $.title: the string" },
        { """{"title":"\udc00\ud800"}""", "at $.title: the string" },
        { """{"title":"\ud800\u0041"}""", "at $.title: the string" },
        { """{"title":"\ud83d"}""", "at $.title: the string" },
        { """{"\ud800":1}""", "at $: a property name" },
        { """{"service":{"$\ud800":"x"}}""", "at $.service: a property name" },
        { """{"labels.\udfff":"x"}""", "at $: a property name" },
        { """{"labels.team":{"$in":["a","\ud800"]}}""", "at $.labels.team.$in[1]: the string" },
        { """{"$or":[{"service":"a"},{"owner":{"$not":{"$eq":"\udbff"}}}]}""", "at $.$or[1].owner.$not.$eq: the string" },
        { """{"unknown_field":"\ud800"}""", "at $.unknown_field: the string" },
    };

    [Theory]
    [MemberData(nameof(LoneSurrogates))]
    public void Parse_LoneSurrogateEscape_InvalidFormatSayingWhere(string query, string where)
    {
        var result = MongoQueryParser.Parse(query);

        Assert.Null(result.Node);
        Assert.Equal($"{where} is not valid Unicode; a \\u escape gives half of a surrogate pair (\\ud800 to \\udfff) without its other half", result.Error!.Description);
        Assert.Equal("INVALID_FORMAT", result.Error.Reason);
    }

    [Fact]
    public void Parse_SurrogatePairEscape_IsOneCharacter()
    {
        var result = MongoQueryParser.Parse("""{"title":"\ud83d\ude00"}""");

        Assert.Equal("title = \"\U0001F600\"", FilterText.Print(result.Node!));
    }

    public static TheoryData<string, string> SameSearch => new()
    {
        { "service=\"payments\"", "{\"service\":\"payments\"}" },
        { "severity=SEVERITY_ERROR OR severity=SEVERITY_WARNING", "{\"severity\":{\"$in\":[\"SEVERITY_ERROR\",\"SEVERITY_WARNING\"]}}" },
        { "-owner=\"sandbox\"", "{\"owner\":{\"$ne\":\"sandbox\"}}" },
        { "created_at>=\"2025-01-27T12:08:00Z\" created_at<=2025-01-28", "{\"created_at\":{\"$gte\":\"2025-01-27 12:08:00 UTC\",\"$lte\":\"2025-01-28\"}}" },
        { "priority<=PRIORITY_P2", "{\"priority\":{\"$lte\":\"PRIORITY_P2\"}}" },
        { "labels.team:*", "{\"labels.team\":{\"$exists\":true}}" },
        { "NOT end_date:*", "{\"end_date\":{\"$exists\":false}}" },
        { "(type=TYPE_INCIDENT OR status=STATUS_FAILURE) AND resources.name=\"api\"", "{\"$or\":[{\"type\":\"TYPE_INCIDENT\"},{\"status\":\"STATUS_FAILURE\"}],\"resources.name\":\"api\"}" },
        { "-(service=a OR owner=b)", "{\"$nor\":[{\"service\":\"a\"},{\"owner\":\"b\"}]}" },
        { "NOT code>5", "{\"code\":{\"$not\":{\"$gt\":5}}}" },
    };

    [Theory]
    [MemberData(nameof(SameSearch))]
    public void Parse_FilterAndQueryOfOneSearch_GiveTheSameTree(string filter, string query)
    {
        Assert.Equal(FilterText.Print(FilterParser.Parse(filter).Node!), FilterText.Print(MongoQueryParser.Parse(query).Node!));
    }
}
