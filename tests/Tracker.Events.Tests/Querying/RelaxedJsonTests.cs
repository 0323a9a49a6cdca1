using Tracker.Events.Querying;
using Tracker.Events.Tests.Support;
using Xunit;

namespace Tracker.Events.Tests.Querying;

/// <summary>
/// The JSON a query may be written in: RFC 8259, plus the unquoted keys and single-quoted strings
/// of MongoDB's relaxed parsers (the MWS seed's <c>{code:33554946}</c>), and nothing else; every
/// error names its line and column and what was expected.
/// </summary>
public sealed class RelaxedJsonTests
{
    public static TheoryData<string, string> Relaxed => new()
    {
        { "{code:33554946}", "{\"code\":33554946}" },
        { "{ associatedObjects.id : \"51b6\" }", "{\"associatedObjects.id\":\"51b6\"}" },
        { "{severity:{$in:['ERROR','WARN']}}", "{\"severity\":{\"$in\":[\"ERROR\",\"WARN\"]}}" },
        { "{'eventType':'VM Provision'}", "{\"eventType\":\"VM Provision\"}" },
        { "{_id:1,$and:[],a1:true,b:false,c:null}", "{\"_id\":1,\"$and\":[],\"a1\":true,\"b\":false,\"c\":null}" },
        { "{'title':'it\\'s \"quoted\"'}", "{\"title\":\"it's \\\"quoted\\\"\"}" },
        { "{\"title\":\"it\\'s\"}", "{\"title\":\"it's\"}" },
        { "{'title':'\\u00e9\\ud800\\n\\\\\\/'}", "{\"title\":\"\\u00e9\\ud800\\n\\\\\\/\"}" },
        { "{\"code\":-0.5e+3}", "{\"code\":-0.5e+3}" },
        { " \r\n\t{}\n", "{}" },
        { "[1,[2]]", "[1,[2]]" },
        { "{\"title\":\"部署 😀\"}", "{\"title\":\"部署 😀\"}" },
    };

    public static TheoryData<string, string> Invalid => new()
    {
        { "", "at line 1, column 1: expected an object such as {\"service\":\"payments\"}, found the end of the query" },
        { "{\"service\":", "at line 1, column 12: expected a value, found the end of the query" },
        { "{code-x:1}", "at line 1, column 6: expected \":\" after the key, found \"-\"" },
        { "{1code:1}", "at line 1, column 2: expected a key: a string, or a name such as code or associatedObjects.id; found \"1\"" },
        { "{severity: ERROR}", "at line 1, column 12: expected a value, found the bare word ERROR; text is quoted: \"ERROR\"" },
        { "{\"code\":1,}", "at line 1, column 11: expected a key: a string, or a name such as code or associatedObjects.id; found \"}\"" },
        { "{\"code\":[1,]}", "at line 1, column 12: expected a value (a string, a number, true, false, null, an object or an array), found \"]\"" },
        { "{\"code\":1 \"x\":2}", "at line 1, column 11: expected \"}\" or \",\" after a member of the object, found '\"'" },
        { "{\"code\":[1 2]}", "at line 1, column 12: expected \"]\" or \",\" after a value of the array, found \"2\"" },
        { "{/* note */}", "at line 1, column 2: expected a key: a string, or a name such as code or associatedObjects.id; found \"/\"" },
        { "{\"code\":01}", "at line 1, column 9: a number has no leading zeros (RFC 8259): write 1, not 01; quote it (\"01\") if it is text" },
        { "{code:-007.5}", "at line 1, column 7: a number has no leading zeros (RFC 8259): write -7, not -007; quote it (\"-007\") if it is text" },
        { "{\"code\":1,\"code\":2}", "at line 1, column 11: the key \"code\" appears twice in one object; give each key once (several conditions on one field: {\"code\": {\"$gte\": 1, \"$lte\": 9}}, or $and)" },
        { "{code:1, 'code':{$gt:2}}", "at line 1, column 10: the key \"code\" appears twice in one object; give each key once (several conditions on one field: {\"code\": {\"$gte\": 1, \"$lte\": 9}}, or $and)" },
        { "{\"code\":1.}", "at line 1, column 11: expected a digit after the decimal point, found \"}\"" },
        { "{\"code\":1e}", "at line 1, column 11: expected a digit in the exponent, found \"}\"" },
        { "{\"code\":-x}", "at line 1, column 10: expected a digit after \"-\", found \"x\"" },
        { "{\"code\":NaN}", "at line 1, column 9: expected a value, found the bare word NaN; text is quoted: \"NaN\"" },
        { "{\"code\":1} {}", "at line 1, column 12: expected the end of the query, found \"{\"" },
        { "{'title':'open}", "at line 1, column 10: the string is not closed; expected a closing '" },
        { "{\"title\":\"a\\x\"}", "at line 1, column 12: unknown escape \"\\x\"; strings know \\\" \\' \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX" },
        { "{\"title\":\"\\u12\"}", "at line 1, column 11: \\u takes four hexadecimal digits, e.g. \\u00e9" },
        { "{\"title\":\"a\tb\"}", "at line 1, column 12: a string holds the control character U+0009; write it as an escape (\\n, \\t, \\u0009)" },
        { "{\"title\":\"a\\", "at line 1, column 12: the string ends after a backslash; expected an escape such as \\n" },
        { "{\n  \"eventType\": \"x\",\n  \"code\": 1,\n  oops\n}", "at line 5, column 1: expected \":\" after the key, found \"}\"" },
        { "{\"title\":\"😀😀\" x}", "at line 1, column 15: expected \"}\" or \",\" after a member of the object, found \"x\"" },
    };

    [Theory]
    [MemberData(nameof(Relaxed))]
    public void ToStrictJson_RelaxedOrStrictJson_WritesTheSameValueAsStrictJson(string text, string expected)
    {
        Assert.Equal(expected, RelaxedJson.ToStrictJson(text));
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void ToStrictJson_TextOutsideTheGrammar_SaysTheLineColumnAndWhatWasExpected(string text, string expected)
    {
        var error = Assert.Throws<FilterSyntaxException>(() => RelaxedJson.ToStrictJson(text));

        Assert.Equal(expected, error.Description);
        Assert.Equal("INVALID_FORMAT", error.Reason);
    }

    [Fact]
    public void ToStrictJson_ArraysNestedPastTheLimit_SaysHowDeepAQueryMayNest()
    {
        var text = "{\"code\":{\"$in\":" + new string('[', 2000) + new string(']', 2000) + "}}";

        var error = Assert.Throws<FilterSyntaxException>(() => RelaxedJson.ToStrictJson(text));

        Assert.Equal("TOO_MANY", error.Reason);
        Assert.EndsWith("nests deeper than 16 levels", error.Description, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> SameQuery => new()
    {
        { "{code:33554946}", "{\"code\":33554946}" },
        { "{severity:{$in:['ERROR','WARN']},'eventType':'Service Create'}", "{\"severity\":{\"$in\":[\"ERROR\",\"WARN\"]},\"eventType\":\"Service Create\"}" },
        { "{$or:[{origin:'CSA Plugin'},{associatedObjects.type:'VM'}]}", "{\"$or\":[{\"origin\":\"CSA Plugin\"},{\"associatedObjects.type\":\"VM\"}]}" },
    };

    [Theory]
    [MemberData(nameof(SameQuery))]
    public void Parse_RelaxedAndStrictSpellingOfOneQuery_GiveTheSameTree(string relaxed, string strict)
    {
        Assert.Equal(FilterText.Print(MongoQueryParser.Parse(strict).Node!), FilterText.Print(MongoQueryParser.Parse(relaxed).Node!));
    }

    [Fact]
    public void Parse_LoneSurrogateEscapeInSingleQuotes_IsRefusedAsInDoubleQuotes()
    {
        var error = MongoQueryParser.Parse("{'title':'\\ud800'}").Error!;

        Assert.Equal("at $.title: the string is not valid Unicode; a \\u escape gives half of a surrogate pair (\\ud800 to \\udfff) without its other half", error.Description);
    }
}
