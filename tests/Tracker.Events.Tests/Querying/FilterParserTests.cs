using Tracker.Events.Querying;
using Tracker.Events.Tests.Support;
using Xunit;

namespace Tracker.Events.Tests.Querying;

/// <summary>The AIP-160 filter dialect: what each expression means, and the exact error of each mistake.</summary>
public sealed class FilterParserTests
{
    public static TheoryData<string, string> Valid => new()
    {
        { "", "AND()" },
        { "   ", "AND()" },
        { "service=\"payments\"", "service = \"payments\"" },
        { "service = payments", "service = \"payments\"" },
        { "attributes.service='payments'", "service = \"payments\"" },
        { "service!=\"payments\"", "NOT(service = \"payments\")" },
        { "service=\"pay*\"", "service starts-with \"pay\"" },
        { "service=\"*pay\"", "service ends-with \"pay\"" },
        { "service=*pay*", "service contains \"pay\"" },
        { "service=\"pay\\*\"", "service = \"pay*\"" },
        { "owner=\"ops\\\\*\"", "owner starts-with \"ops\\\"" },
        { "owner<\"a\\\\b\\*\"", "owner < \"a\\b*\"" },
        { "title<\"m\"", "title < \"m\"" },
        { "type=TYPE_INCIDENT", "type = 4" },
        { "type=incident", "type = 4" },
        { "type=4", "type = 4" },
        { "severity>SEVERITY_NORMAL", "severity > 1" },
        { "severity>normal", "severity > 1" },
        { "priority<=PRIORITY_P2", "AND(priority <= 2, priority >= 1)" },
        { "impact>=IMPACT_MEDIUM", "impact >= 2" },
        { "code>=400 code<500", "AND(code >= 400, code < 500)" },
        { "code=-1", "code = -1" },
        { "notification=true", "notification = 1" },
        { "notification:false", "notification = 0" },
        { "created_at>\"2024-01-15T10:00:00Z\"", "created_at > 1705312800000000" },
        { "created_at>=2024-01-15", "created_at >= 1705276800000000" },
        { "created_at=2024-01-15", "AND(created_at >= 1705276800000000, created_at <= 1705363199999999)" },
        { "start_date<2024-01-15", "start_date < 1705276800000000" },
        { "end_date<=2024-01-15", "end_date <= 1705363199999999" },
        { "end_date>\"2024-01-15 10:00:00 UTC\"", "end_date > 1705312800000000" },
        { "owner:*", "owner SET" },
        { "end_date:*", "end_date SET" },
        { "stake_holders:\"ops-team\"", "stake_holders = \"ops-team\"" },
        { "notifications:slack", "notifications = \"slack\"" },
        { "resources.namespace=\"prod\"", "resources.namespace = \"prod\"" },
        { "resources.kind:*", "resources.kind SET" },
        { "labels.team:*", "labels.team SET" },
        { "labels.team:\"payments\"", "labels.team = \"payments\"" },
        { "labels.team=\"pay*\"", "labels.team starts-with \"pay\"" },
        { "labels:team", "labels.team SET" },
        { "attributes.labels.team!=core", "NOT(labels.team = \"core\")" },
        { "NOT service=x", "NOT(service = \"x\")" },
        { "-service=x", "NOT(service = \"x\")" },
        { "-(service=x OR service=y)", "NOT(OR(service = \"x\", service = \"y\"))" },
        { "service=payments-api", "service = \"payments-api\"" },
        { "service=AND", "service = \"AND\"" },
        { "service=x type=1", "AND(service = \"x\", type = 1)" },
        { "service=x AND type=1", "AND(service = \"x\", type = 1)" },
        { "service=a AND service=b OR service=c", "AND(service = \"a\", OR(service = \"b\", service = \"c\"))" },
        { "service=a OR service=b AND service=c", "AND(OR(service = \"a\", service = \"b\"), service = \"c\")" },
        { "(service=a AND service=b) OR service=c", "OR(AND(service = \"a\", service = \"b\"), service = \"c\")" },
        { "title=\"it's \\\"quoted\\\"; DROP TABLE events; --\"", "title = \"it's \"quoted\"; DROP TABLE events; --\"" },
        { "title=\"部署 déploiement\"", "title = \"部署 déploiement\"" },
        { "title=\"a\0b\"", "OR()" },
        { "title!=\"a\0b*\"", "NOT(OR())" },
        { "title<\"a\0b\"", "title <= \"a\"" },
        { "title>=\"a\0b\"", "title > \"a\"" },
    };

    public static TheoryData<string, string> Invalid => new()
    {
        { "a.b=1", "at column 1: unknown field \"a.b\"; fields: title, id, created_at, updated_at, message, source, type, priority, related_id, service, status, environment, impact, start_date, end_date, owner, severity, reason, code, notification, count, aggregation_key, stake_holders, notifications, arguments, resources.kind, resources.id, resources.name, resources.namespace, labels.<key>" },
        { "service", "at column 8: expected an operator (= != < <= > >= :) after \"service\", found the end of the filter; for full-text search use q" },
        { "deploy OR rollback", "at column 8: expected an operator (= != < <= > >= :) after \"deploy\", found \"OR\"; for full-text search use q" },
        { "\"just text\"", "at column 1: expected a field name, found a string; for full-text search use q" },
        { "service=", "at column 9: expected a value after \"=\", found the end of the filter" },
        { "service=(x)", "at column 9: expected a value after \"=\", found \"(\"" },
        { "(service=x", "at column 11: expected \")\" to close the \"(\" at column 1, found the end of the filter" },
        { "service=x)", "at column 10: unmatched \")\"" },
        { "()", "at column 2: expected an expression inside the parentheses" },
        { "service!x", "at column 8: expected \"!=\"; for negation use NOT or -" },
        { "service=\"open", "at column 9: string is not closed; expected a closing \"" },
        { "service=\"a\\qb\"", "at column 11: unknown escape \"\\q\"; strings know \\\" \\' \\\\ \\* \\n \\t" },
        { "service=x and type=1", "at column 15: expected an operator (= != < <= > >= :) after \"and\", found \"type\"; AND, OR and NOT are written in upper case" },
        { "service=x AND", "at column 14: unexpected end of filter; expected a comparison such as service=\"payments\"" },
        { "AND service=x", "at column 1: expected a field name, found \"AND\"" },
        { "type<TYPE_INCIDENT", "at column 6: type has no order; use = or != (or several values with OR or $in)" },
        { "notification>false", "at column 14: notification has no order; use = or != (or true or false)" },
        { "priority>PRIORITY_UNSPECIFIED", "at column 10: PRIORITY_UNSPECIFIED has no rank; to find events with any priority, use priority:*" },
        { "type=TYPE_OUTAGE", "at column 6: type has no value \"TYPE_OUTAGE\"; expected one of TYPE_UNSPECIFIED, TYPE_DEPLOYMENT, TYPE_OPERATION, TYPE_DRIFT, TYPE_INCIDENT, TYPE_RPA_USAGE or its number" },
        { "type=30", "at column 6: type has no value 30; expected one of TYPE_UNSPECIFIED, TYPE_DEPLOYMENT, TYPE_OPERATION, TYPE_DRIFT, TYPE_INCIDENT, TYPE_RPA_USAGE or its number" },
        { "code=\"abc\"", "at column 6: code is a whole number; expected an integer, got \"abc\"" },
        { "code=99999999999999999999", "at column 6: code is a whole number; expected an integer, got 99999999999999999999" },
        { "notification=yes", "at column 14: notification is a boolean; expected true or false, got yes" },
        { "created_at>yesterday", "at column 12: created_at is a time; expected an RFC 3339 time (\"2024-01-15T10:00:00Z\", quoted in a filter), a date (2024-01-15) or \"2024-01-15 10:00:00 UTC\", got yesterday" },
        { "created_at>2024-01-15T10:00:00Z", "at column 12: created_at is a time; expected an RFC 3339 time (\"2024-01-15T10:00:00Z\", quoted in a filter), a date (2024-01-15) or \"2024-01-15 10:00:00 UTC\", got 2024-01-15T10" },
        { "labels=\"x\"", "at column 1: labels are compared by key: labels.<key>, e.g. labels.team=\"payments\", or labels:team for the key's presence" },
        { "labels.a123456789012345678901234567890123456789012345678901234567890123=x", "at column 1: label keys are at most 63 characters" },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Parse_ValidFilter_MeansThisTree(string filter, string expected)
    {
        var result = FilterParser.Parse(filter);

        Assert.Null(result.Error);
        Assert.Equal(expected, FilterText.Print(result.Node!));
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Parse_InvalidFilter_SaysWhereAndWhatWasExpected(string filter, string expected)
    {
        var result = FilterParser.Parse(filter);

        Assert.Null(result.Node);
        Assert.Equal(expected, result.Error!.Description);
    }

    [Fact]
    public void Parse_UnknownField_ReasonIsUnknownField()
    {
        Assert.Equal("UNKNOWN_FIELD", FilterParser.Parse("colour=red").Error!.Reason);
    }

    [Fact]
    public void Parse_AtTheLengthLimit_Parses_OneMore_TooLong()
    {
        var filter = "title=\"" + new string('x', FilterBinder.MaxChars - 8) + "\"";
        Assert.Equal(FilterBinder.MaxChars, filter.Length);

        Assert.Null(FilterParser.Parse(filter).Error);
        var error = FilterParser.Parse(filter + " ").Error!;
        Assert.Equal("is 4097 characters long; at most 4096 are allowed", error.Description);
        Assert.Equal("TOO_LONG", error.Reason);
    }

    [Fact]
    public void Parse_SixteenLevels_Parses_SeventeenTooDeep()
    {
        Assert.Null(FilterParser.Parse(new string('(', 16) + "code=1" + new string(')', 16)).Error);

        var error = FilterParser.Parse(new string('(', 17) + "code=1" + new string(')', 17)).Error!;
        Assert.Equal("at column 17: nests deeper than 16 levels", error.Description);
        Assert.Equal("TOO_MANY", error.Reason);
        // NOT counts as a level too.
        Assert.Null(FilterParser.Parse(string.Concat(Enumerable.Repeat("NOT (", 8)) + "code=1" + new string(')', 8)).Error);
        Assert.Equal("at column 41: nests deeper than 16 levels", FilterParser.Parse(string.Concat(Enumerable.Repeat("NOT (", 9)) + "code=1" + new string(')', 9)).Error!.Description);
    }

    [Fact]
    public void Parse_SixtyFourComparisons_Parse_SixtyFiveTooMany()
    {
        Assert.Null(FilterParser.Parse(string.Join(" OR ", Enumerable.Repeat("code=1", 64))).Error);

        var error = FilterParser.Parse(string.Join(" OR ", Enumerable.Repeat("code=1", 65))).Error!;
        Assert.Equal("at column 641: has more than 64 comparisons; split the search or use $in", error.Description);
        Assert.Equal("TOO_MANY", error.Reason);
    }
}
