using Tracker.Events.Querying;
using Tracker.Events.Tests.Support;
using Xunit;

namespace Tracker.Events.Tests.Querying;

/// <summary>
/// The MWS events API's names in <c>query</c> (README, "Searching", the MWS table): its fields
/// (eventType, associatedObjects, origin, eventDate, code, message) and its severity words are
/// read as Tracker's; AIP-160's <c>filter</c> keeps Tracker's names only.
/// </summary>
public sealed class MwsQueryTests
{
    public static TheoryData<string, string> Mapped => new()
    {
        { "{\"eventType\":\"Service Create\"}", "reason = \"Service Create\"" },
        { "{\"origin\":\"MWS/ServiceEvents/CREATE_1ID\"}", "source = \"MWS/ServiceEvents/CREATE_1ID\"" },
        { "{\"associatedObjects.id\":\"51b608ddc4aa708a5bebb684\"}", "resources.id = \"51b608ddc4aa708a5bebb684\"" },
        { "{\"associatedObjects._id\":\"vm1\"}", "resources.id = \"vm1\"" },
        { "{\"associatedObjects.type\":\"VM\"}", "resources.kind = \"VM\"" },
        { "{\"associatedObjects.kind\":\"VM\"}", "resources.kind = \"VM\"" },
        { "{\"associatedObjects.name\":\"vm-one\"}", "resources.name = \"vm-one\"" },
        { "{\"associatedObjects.namespace\":\"dc1\"}", "resources.namespace = \"dc1\"" },
        { "{\"associatedObjects.id\":{\"$ne\":\"51b608ddc4aa708a5bebb684\"}}", "NOT(resources.id = \"51b608ddc4aa708a5bebb684\")" },
        { "{\"associatedObjects.type\":{\"$exists\":true}}", "resources.kind SET" },
        { "{\"eventDate\":{\"$lt\":\"2025-01-27 12:08:00 UTC\"}}", "start_date < 1737979680000000" },
        { "{\"eventDate\":{\"$gte\":\"2025-01-27 12:04:00 UTC\",\"$lte\":\"2025-01-27 12:08:00 UTC\"}}", "AND(start_date >= 1737979440000000, start_date <= 1737979680000000)" },
        { "{\"eventDate\":\"2025-01-27\"}", "AND(start_date >= 1737936000000000, start_date <= 1738022399999999)" },
        { "{code:33554946}", "code = 33554946" },
        { "{\"message\":null}", "NOT(message SET)" },
        { "{\"severity\":\"INFO\"}", "severity = 1" },
        { "{\"severity\":\"info\"}", "severity = 1" },
        { "{\"severity\":\"WARN\"}", "severity = 2" },
        { "{\"severity\":\"WARNING\"}", "severity = 2" },
        { "{\"severity\":\"ERROR\"}", "severity = 3" },
        { "{\"severity\":\"FATAL\"}", "severity = 4" },
        { "{\"severity\":{\"$in\":[\"ERROR\",\"WARN\"]}}", "OR(severity = 3, severity = 2)" },
        { "{\"severity\":{\"$gte\":\"WARN\"}}", "severity >= 2" },
        { "{\"severity\":\"SEVERITY_NORMAL\",\"origin\":{\"$nin\":[\"a\"]}}", "AND(severity = 1, NOT(OR(source = \"a\")))" },
    };

    [Theory]
    [MemberData(nameof(Mapped))]
    public void Parse_MwsNames_MeanTheTrackerFields(string query, string expected)
    {
        var result = MongoQueryParser.Parse(query);

        Assert.Null(result.Error);
        Assert.Equal(expected, FilterText.Print(result.Node!));
    }

    private const string ObjectMembers = "associatedObjects.id, associatedObjects._id, associatedObjects.type, associatedObjects.kind, associatedObjects.name, associatedObjects.namespace";

    public static TheoryData<string, string, string> Refused => new()
    {
        { "{\"associatedObjects.version\":0}", "at $.associatedObjects.version: associatedObjects are compared by a member: " + ObjectMembers + "; Tracker keeps no \"version\" for them", "UNKNOWN_FIELD" },
        { "{\"associatedObjects\":\"vm1\"}", "at $.associatedObjects: associatedObjects are compared by a member: " + ObjectMembers, "UNKNOWN_FIELD" },
        { "{\"associatedObjects\":{\"$exists\":true}}", "at $.associatedObjects.$exists: associatedObjects are compared by a member: " + ObjectMembers, "UNKNOWN_FIELD" },
        { "{\"eventTyp\":\"x\"}", "at $.eventTyp: unknown field \"eventTyp\"; fields: title, id, created_at, updated_at, message, source, type, priority, related_id, service, status, environment, impact, start_date, end_date, owner, severity, reason, code, notification, count, aggregation_key, stake_holders, notifications, arguments, resources.kind, resources.id, resources.name, resources.namespace, labels.<key>; MWS names: eventType, origin, eventDate, associatedObjects.<id|_id|type|kind|name|namespace>", "UNKNOWN_FIELD" },
        { "{\"severity\":\"DEBUG\"}", "at $.severity: severity has no value \"DEBUG\"; expected one of SEVERITY_UNSPECIFIED, SEVERITY_NORMAL, SEVERITY_WARNING, SEVERITY_ERROR, SEVERITY_ALERT (or MWS's INFO, WARN, WARNING, ERROR, FATAL) or its number", "UNDEFINED_ENUM_VALUE" },
        { "{\"origin\":1}", "at $.origin: origin (source) is text; expected a string, got 1", "INVALID_FORMAT" },
        { "{\"eventDate\":{\"$lt\":\"27/01/2025\"}}", "at $.eventDate.$lt: eventDate (start_date) is a time; expected an RFC 3339 time (\"2024-01-15T10:00:00Z\", quoted in a filter), a date (2024-01-15) or \"2024-01-15 10:00:00 UTC\", got \"27/01/2025\"", "INVALID_FORMAT" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Parse_MwsNameWithoutATrackerField_SaysWhichNamesThereAre(string query, string expected, string reason)
    {
        var error = MongoQueryParser.Parse(query).Error!;

        Assert.Equal(expected, error.Description);
        Assert.Equal(reason, error.Reason);
    }

    public static TheoryData<string, string> SameSearch => new()
    {
        { "reason=\"Service Create\" AND severity=SEVERITY_NORMAL", "{\"eventType\":\"Service Create\",\"severity\":\"INFO\"}" },
        { "NOT resources.id=\"51b608ddc4aa708a5bebb684\"", "{\"associatedObjects.id\":{\"$ne\":\"51b608ddc4aa708a5bebb684\"}}" },
        { "severity=SEVERITY_ERROR (start_date>=\"2025-01-27T12:04:00Z\" start_date<=\"2025-01-27T12:08:00Z\")", "{\"severity\":\"ERROR\",\"eventDate\":{\"$gte\":\"2025-01-27 12:04:00 UTC\",\"$lte\":\"2025-01-27 12:08:00 UTC\"}}" },
        { "source=\"CSA Plugin\" resources.kind=\"VM\" severity=SEVERITY_ALERT", "{origin:'CSA Plugin','associatedObjects.type':'VM',severity:'FATAL'}" },
    };

    [Theory]
    [MemberData(nameof(SameSearch))]
    public void Parse_MwsQueryAndTrackerFilterOfOneSearch_GiveTheSameTree(string filter, string query)
    {
        Assert.Equal(FilterText.Print(FilterParser.Parse(filter).Node!), FilterText.Print(MongoQueryParser.Parse(query).Node!));
    }

    [Theory]
    [InlineData("eventType=\"Service Create\"", "at column 1: unknown field \"eventType\"; fields: title, id, created_at, updated_at, message, source, type, priority, related_id, service, status, environment, impact, start_date, end_date, owner, severity, reason, code, notification, count, aggregation_key, stake_holders, notifications, arguments, resources.kind, resources.id, resources.name, resources.namespace, labels.<key>")]
    [InlineData("severity=FATAL", "at column 10: severity has no value \"FATAL\"; expected one of SEVERITY_UNSPECIFIED, SEVERITY_NORMAL, SEVERITY_WARNING, SEVERITY_ERROR, SEVERITY_ALERT or its number")]
    public void FilterParser_MwsName_IsNotTakenByTheAip160Filter(string filter, string expected)
    {
        Assert.Equal(expected, FilterParser.Parse(filter).Error!.Description);
    }

    /// <summary>README's MWS tables ("Searching") say what <c>query</c> does: each name there means its Tracker field, each word its severity, and the refused name is refused.</summary>
    [Fact]
    public void ReadmeMwsTables_EachRow_IsWhatQueryDoes()
    {
        var fields = ReadmeTable("| MWS | Tracker | note |");
        var severities = ReadmeTable("| MWS severity | Tracker |");
        Assert.NotEmpty(fields);
        Assert.Equal(4, severities.Count);

        foreach (var row in fields)
        {
            foreach (var name in Names(row[0]))
            {
                var asMws = MongoQueryParser.Parse($"{{\"{name}\":{{\"$exists\":true}}}}");
                if (row[1] == "none")
                {
                    Assert.Equal("UNKNOWN_FIELD", asMws.Error?.Reason);
                    continue;
                }

                var tracker = row[1] == "the same" ? name : Names(row[1]).Single();
                Assert.True(asMws.Error is null, $"{name}: {asMws.Error?.Description}");
                Assert.Equal(FilterText.Print(MongoQueryParser.Parse($"{{\"{tracker}\":{{\"$exists\":true}}}}").Node!), FilterText.Print(asMws.Node!));
            }
        }

        foreach (var row in severities)
        {
            var tracker = FilterText.Print(MongoQueryParser.Parse($"{{\"severity\":\"{Names(row[1]).Single()}\"}}").Node!);
            Assert.All(Names(row[0]), word => Assert.Equal(tracker, FilterText.Print(MongoQueryParser.Parse($"{{\"severity\":\"{word}\"}}").Node!)));
        }

        // And every MWS name an error lists is in the table.
        var listed = MongoQueryParser.Parse("{\"x\":1}").Error!.Description.Split("MWS names: ")[1];
        var documented = fields.SelectMany(row => Names(row[0])).ToHashSet();
        foreach (var name in listed.Split(", "))
        {
            var names = name.StartsWith("associatedObjects.<", StringComparison.Ordinal)
                ? name["associatedObjects.<".Length..^1].Split('|').Select(member => "associatedObjects." + member)
                : [name];
            Assert.All(names.Where(n => n is not ("associatedObjects.kind" or "associatedObjects.name" or "associatedObjects.namespace")), n => Assert.Contains(n, documented));
        }
    }

    private static string[] Names(string cell) =>
        [.. System.Text.RegularExpressions.Regex.Matches(cell, "`([^`]+)`").Select(m => m.Groups[1].Value)];

    // The rows (cells trimmed) of the README table whose header line is given, up to its first blank line.
    private static List<string[]> ReadmeTable(string header)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory.FullName, "Tracker.sln")))
        {
            directory = directory.Parent ?? throw new InvalidOperationException($"No Tracker.sln above {AppContext.BaseDirectory}.");
        }

        var lines = File.ReadAllLines(Path.Combine(directory.FullName, "README.md"));
        var start = Array.IndexOf(lines, header);
        Assert.True(start >= 0, $"README.md has no table headed {header}");
        return [.. lines.Skip(start + 2).TakeWhile(line => line.StartsWith('|')).Select(line => line.Trim('|').Split('|').Select(cell => cell.Trim()).ToArray())];
    }
}
