using Tracker.Events.Storage;
using Xunit;
using static Tracker.Events.Postgres.Tests.Expressions;

namespace Tracker.Events.Postgres.Tests;

/// <summary>
/// Expressions, full text and commit positions over <see cref="SearchableEvents"/>: each case
/// names the events it must find, written by hand from the events' values.
/// </summary>
public sealed class PostgresQueryTests(SearchableStoreFixture fixture) : IClassFixture<SearchableStoreFixture>
{
    private const string All = "e1 e2 e3 e4 e5 e6 e7 e8 e9 e10 e11 e12";

    private static readonly long T0 = EventKeys.ToMicros(SearchableEvents.T0);

    private static readonly Dictionary<string, (FilterNode Where, string Expected)> Cases = new()
    {
        ["every event (empty AND)"] = (And(), All),
        ["no event (empty OR)"] = (Or(), ""),
        ["NOT of the empty AND"] = (Not(And()), ""),

        ["title ="] = (Text(EventField.Title, Comparator.Equal, "Bare"), "e6"),
        ["title prefix is case-sensitive"] = (Text(EventField.Title, Comparator.Prefix, "Deploy"), "e1 e7"),
        ["title prefix in lower case finds nothing"] = (Text(EventField.Title, Comparator.Prefix, "deploy"), ""),
        ["title prefix \"\" matches every event"] = (Text(EventField.Title, Comparator.Prefix, ""), All),
        ["title suffix"] = (Text(EventField.Title, Comparator.Suffix, "api"), "e8"),
        ["title contains %"] = (Text(EventField.Title, Comparator.Contains, "%"), "e4"),
        ["title contains _"] = (Text(EventField.Title, Comparator.Contains, "_"), "e4"),
        ["title contains single quotes"] = (Text(EventField.Title, Comparator.Contains, "'quoted'"), "e4"),
        ["title contains double quotes"] = (Text(EventField.Title, Comparator.Contains, "\"dq\""), "e4"),
        ["title contains a backslash"] = (Text(EventField.Title, Comparator.Contains, "back\\slash"), "e4"),
        ["title contains CJK"] = (Text(EventField.Title, Comparator.Contains, "東京"), "e3"),
        ["title suffix with a symbol"] = (Text(EventField.Title, Comparator.Suffix, "☃ snowman"), "e12"),
        ["title > Z compares UTF-8 bytes, not a locale"] = (Text(EventField.Title, Comparator.Greater, "Z"), "e5 e12"),
        ["title < a"] = (Text(EventField.Title, Comparator.Less, "a"), "e1 e2 e3 e4 e6 e7 e8 e9 e10 e11"),

        ["message contains %_ as data"] = (Text(EventField.Message, Comparator.Contains, "%_off"), "e4"),
        ["message contains %"] = (Text(EventField.Message, Comparator.Contains, "%"), "e4 e11"),
        ["message contains SQL"] = (Text(EventField.Message, Comparator.Contains, "DROP TABLE events; --"), "e4"),
        ["message contains Cyrillic"] = (Text(EventField.Message, Comparator.Contains, "Привет"), "e2"),
        ["message contains an emoji"] = (Text(EventField.Message, Comparator.Contains, "🚀"), "e12"),
        ["message = \"\" (unset or empty)"] = (Text(EventField.Message, Comparator.Equal, ""), "e6 e9"),
        ["message present"] = (Has(EventField.Message), "e1 e2 e3 e4 e5 e7 e8 e10 e11 e12"),

        ["source prefix a_ (underscore is data)"] = (Text(EventField.Source, Comparator.Prefix, "a_"), "e4"),
        ["source prefix a% (percent is data)"] = (Text(EventField.Source, Comparator.Prefix, "a%"), ""),
        ["source prefix a"] = (Text(EventField.Source, Comparator.Prefix, "a"), "e3 e4"),
        ["source = a_b"] = (Text(EventField.Source, Comparator.Equal, "a_b"), "e4"),
        ["service = pay%"] = (Text(EventField.Service, Comparator.Equal, "pay%"), "e4"),
        ["service suffix %"] = (Text(EventField.Service, Comparator.Suffix, "%"), "e4"),
        ["service contains pa"] = (Text(EventField.Service, Comparator.Contains, "pa"), "e4 e6"),
        ["owner = o'neil"] = (Text(EventField.Owner, Comparator.Equal, "o'neil"), "e4"),
        ["owner >= p"] = (Text(EventField.Owner, Comparator.GreaterOrEqual, "p"), "e1 e7 e8 e12"),
        ["owner unset"] = (Not(Has(EventField.Owner)), "e3 e6"),
        ["related_id ="] = (Text(EventField.RelatedId, Comparator.Equal, "rel-api-1"), "e4 e8"),
        ["related_id present"] = (Has(EventField.RelatedId), "e4 e8"),

        ["type ="] = (Number(EventField.Type, Comparator.Equal, 4), "e2 e11"),
        ["three-term OR"] = (Or(Number(EventField.Type, Comparator.Equal, 1), Number(EventField.Type, Comparator.Equal, 3), Text(EventField.Service, Comparator.Equal, "finance")), "e1 e3 e5 e7 e8 e10"),
        ["priority <= 2 compares numbers (unset is 0)"] = (Number(EventField.Priority, Comparator.LessOrEqual, 2), "e1 e2 e6 e7 e8 e11"),
        ["priority > 3"] = (Number(EventField.Priority, Comparator.Greater, 3), "e4 e5 e10 e12"),
        ["status ="] = (Number(EventField.Status, Comparator.Equal, 3), "e1 e4 e7 e10"),
        ["environment ="] = (Number(EventField.Environment, Comparator.Equal, 7), "e1 e2 e7 e8 e10 e11"),
        ["impact unset"] = (Not(Has(EventField.Impact)), "e5 e6 e10"),
        ["severity >= 3"] = (Number(EventField.Severity, Comparator.GreaterOrEqual, 3), "e2 e5 e8 e11"),
        ["severity ="] = (Number(EventField.Severity, Comparator.Equal, 2), "e3 e12"),
        ["severity unset"] = (Not(Has(EventField.Severity)), "e6 e10"),
        ["reason = \"\""] = (Text(EventField.Reason, Comparator.Equal, ""), "e1 e5 e6 e7 e9 e10 e12"),
        ["reason present"] = (Has(EventField.Reason), "e2 e3 e4 e8 e11"),
        ["reason suffix %"] = (Text(EventField.Reason, Comparator.Suffix, "%"), "e4"),
        ["code < 0"] = (Number(EventField.Code, Comparator.Less, 0), "e5"),
        ["code > 5"] = (Number(EventField.Code, Comparator.Greater, 5), "e2 e4 e8"),
        ["code present"] = (Has(EventField.Code), "e2 e4 e5 e8 e10 e11"),
        ["code unset"] = (Not(Has(EventField.Code)), "e1 e3 e6 e7 e9 e12"),
        ["notification = 1"] = (Number(EventField.Notification, Comparator.Equal, 1), "e1 e4 e7 e8 e11"),
        ["notification = 0"] = (Number(EventField.Notification, Comparator.Equal, 0), "e2 e3 e5 e6 e9 e10 e12"),

        ["created_at >"] = (Number(EventField.CreatedAt, Comparator.Greater, T0 + Minutes(10)), "e11 e12"),
        ["created_at is always present"] = (Has(EventField.CreatedAt), All),
        ["NOT created_at present"] = (Not(Has(EventField.CreatedAt)), ""),
        ["updated_at >"] = (Number(EventField.UpdatedAt, Comparator.Greater, T0 + Minutes(12)), "e5"),
        ["start_date >= compares the event time"] = (Number(EventField.StartDate, Comparator.GreaterOrEqual, T0 + Minutes(120)), "e1 e7 e8 e9 e11"),
        ["start_date <"] = (Number(EventField.StartDate, Comparator.Less, T0), "e5"),
        ["start_date <= uses created_at where unset"] = (Number(EventField.StartDate, Comparator.LessOrEqual, T0 + Minutes(10)), "e2 e4 e5 e6 e10"),
        ["start_date present means set"] = (Has(EventField.StartDate), "e1 e3 e5 e7 e8 e9 e11"),
        ["start_date unset"] = (Not(Has(EventField.StartDate)), "e2 e4 e6 e10 e12"),
        ["end_date >"] = (Number(EventField.EndDate, Comparator.Greater, T0), "e1 e7 e9"),
        ["end_date <"] = (Number(EventField.EndDate, Comparator.Less, T0 + Minutes(24 * 60)), "e1 e5 e7"),
        ["NOT end_date > includes unset end dates"] = (Not(Number(EventField.EndDate, Comparator.Greater, T0)), "e2 e3 e4 e5 e6 e8 e10 e11 e12"),
        ["end_date present"] = (Has(EventField.EndDate), "e1 e5 e7 e9"),
        ["end_date unset"] = (Not(Has(EventField.EndDate)), "e2 e3 e4 e6 e8 e10 e11 e12"),

        ["stake_holders = (any element)"] = (Text(EventField.StakeHolders, Comparator.Equal, "dba-team"), "e2 e11"),
        ["stake_holders = a second element"] = (Text(EventField.StakeHolders, Comparator.Equal, "ops-team"), "e1 e11"),
        ["stake_holders prefix"] = (Text(EventField.StakeHolders, Comparator.Prefix, "back"), "e1 e4 e8"),
        ["stake_holders contains %"] = (Text(EventField.StakeHolders, Comparator.Contains, "%"), "e4"),
        ["stake_holders >"] = (Text(EventField.StakeHolders, Comparator.Greater, "o"), "e1 e4 e5 e11"),
        ["stake_holders present"] = (Has(EventField.StakeHolders), "e1 e2 e4 e5 e7 e8 e10 e11"),
        ["stake_holders empty"] = (Not(Has(EventField.StakeHolders)), "e3 e6 e9 e12"),
        ["NOT stake_holders ="] = (Not(Text(EventField.StakeHolders, Comparator.Equal, "dba-team")), "e1 e3 e4 e5 e6 e7 e8 e9 e10 e12"),
        ["notifications ="] = (Text(EventField.Notifications, Comparator.Equal, "slack"), "e1 e3 e7 e11"),
        ["notifications suffix"] = (Text(EventField.Notifications, Comparator.Suffix, "er"), "e8 e11"),
        ["notifications present"] = (Has(EventField.Notifications), "e1 e3 e4 e7 e8 e10 e11"),

        ["resources.kind ="] = (Text(EventField.ResourceKind, Comparator.Equal, "Pod"), "e1 e5 e7"),
        ["resources.kind = is case-sensitive"] = (Text(EventField.ResourceKind, Comparator.Equal, "pod"), ""),
        ["NOT resources.kind ="] = (Not(Text(EventField.ResourceKind, Comparator.Equal, "Pod")), "e2 e3 e4 e6 e8 e9 e10 e11 e12"),
        ["resources.name prefix"] = (Text(EventField.ResourceName, Comparator.Prefix, "web"), "e5 e7"),
        ["resources.namespace = \"\""] = (Text(EventField.ResourceNamespace, Comparator.Equal, ""), "e2"),
        ["resources.id present"] = (Has(EventField.ResourceId), "e1 e2 e4 e7 e11"),
        ["resources.namespace present"] = (Has(EventField.ResourceNamespace), "e1 e4 e5 e7 e8 e11"),
        ["resources.kind contains _"] = (Text(EventField.ResourceKind, Comparator.Contains, "_"), "e4"),
        ["resources.id = with a quote"] = (Text(EventField.ResourceId, Comparator.Equal, "id'1"), "e4"),
        ["resources.kind <"] = (Text(EventField.ResourceKind, Comparator.Less, "I"), "e8 e11"),

        ["labels.team ="] = (Label("team", Comparator.Equal, "core"), "e1 e8"),
        ["labels.team = data"] = (Label("team", Comparator.Equal, "data"), "e2 e9 e11"),
        ["labels.tier = \"\""] = (Label("tier", Comparator.Equal, ""), "e1"),
        ["labels.tier present, even empty"] = (HasLabel("tier"), "e1 e7"),
        ["any label present"] = (Has(EventField.Labels), "e1 e2 e3 e4 e7 e8 e9 e10 e11 e12"),
        ["no label at all"] = (Not(Has(EventField.Labels)), "e5 e6"),
        ["labels.team absent"] = (Not(HasLabel("team")), "e3 e5 e6 e10 e12"),
        ["NOT labels.team = includes absent keys"] = (Not(Label("team", Comparator.Equal, "core")), "e2 e3 e4 e5 e6 e7 e9 e10 e11 e12"),
        ["labels.team >"] = (Label("team", Comparator.Greater, "d"), "e2 e4 e7 e9 e11"),
        ["labels.team prefix \"\" means present"] = (Label("team", Comparator.Prefix, ""), "e1 e2 e4 e7 e8 e9 e11"),
        ["label key with a quote and a space"] = (Label("we'ird key", Comparator.Equal, "va%l_ue"), "e4"),
        ["label contains wildcards as data"] = (Label("we'ird key", Comparator.Contains, "%l_"), "e4"),
        ["label in Cyrillic"] = (Label("ключ", Comparator.Equal, "значение"), "e12"),
        ["label suffix"] = (Label("window", Comparator.Suffix, "ght"), "e9"),
        ["absent label compares false"] = (Label("missing", Comparator.Less, "zzz"), ""),
        ["NOT of an absent label's comparison"] = (Not(Label("missing", Comparator.Less, "zzz")), All),

        ["AND with a NOT of an OR"] = (And(Number(EventField.Type, Comparator.Equal, 1), Not(Or(Text(EventField.Service, Comparator.Equal, "api"), Text(EventField.Service, Comparator.Equal, "web")))), "e5"),
        ["OR across labels, presence and repeated"] = (Or(Label("team", Comparator.Equal, "core"), HasLabel("robot"), Text(EventField.StakeHolders, Comparator.Equal, "teachers")), "e1 e5 e8 e10"),
        ["double negation"] = (Not(Not(Number(EventField.Severity, Comparator.Equal, 2))), "e3 e12"),
        ["AND of ORs"] = (And(Or(Number(EventField.Environment, Comparator.Equal, 7), Number(EventField.Environment, Comparator.Equal, 2)), Or(Number(EventField.Severity, Comparator.Equal, 4), Number(EventField.Code, Comparator.Greater, 2))), "e2 e8 e10 e11"),
    };

    private static readonly Dictionary<string, (string[] Words, string Expected)> WordCases = new()
    {
        ["a word starts a word of the title or message"] = (["deploy"], "e1 e7 e8"),
        ["every word must match"] = (["depl", "api"], "e1 e8"),
        ["two title words"] = (["deploy", "web"], "e7"),
        ["Cyrillic, case-insensitive"] = (["привет"], "e2"),
        ["Cyrillic capital in the text"] = (["мир"], "e2"),
        ["a host splits into words"] = (["com"], "e1"),
        ["the host's first word"] = (["example"], "e1"),
        ["accented capitals"] = (["école"], "e5"),
        ["German, prefix"] = (["übergr"], "e3"),
        ["diacritics are kept"] = (["naive"], ""),
        ["diacritics match themselves"] = (["naïve"], "e5"),
        ["CJK"] = (["東京"], "e3"),
        ["digits"] = (["9"], "e11"),
        ["digits before a percent sign"] = (["100"], "e4"),
        ["SQL words are only words"] = (["drop", "table"], "e4"),
        ["title and message together"] = (["ünïcödé", "launch"], "e12"),
        ["a common word"] = (["the"], "e7 e8"),
        ["no such word"] = (["nothing"], ""),
    };

    public static TheoryData<string> ExpressionCases => [.. Cases.Keys];

    public static TheoryData<string> FullTextCases => [.. WordCases.Keys];

    [Theory]
    [MemberData(nameof(ExpressionCases))]
    public async Task QueryAsync_Expression_FindsExactlyTheExpectedEvents(string name)
    {
        var (where, expected) = Cases[name];

        var page = await fixture.Store.QueryAsync(SearchableStoreFixture.All(new EventCriteria(where, [])), CancellationToken.None).WaitAsync(TestPostgres.Timeout);

        Assert.Equal(Names(expected), page.Events.Select(e => fixture.NameOf(e.Id)).Order(StringComparer.Ordinal));
        Assert.Equal(Names(expected).Length, page.TotalCount);
    }

    [Theory]
    [MemberData(nameof(FullTextCases))]
    public async Task QueryAsync_Words_FindEventsWithWordsStartingWithEach(string name)
    {
        var (words, expected) = WordCases[name];

        var found = await fixture.NamesAsync(SearchableStoreFixture.All(new EventCriteria(And(), words)));

        Assert.Equal(Names(expected), found.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task QueryAsync_WordsAndExpression_BothMustHold()
    {
        var criteria = new EventCriteria(Text(EventField.Service, Comparator.Equal, "api"), ["deploy"]);

        var found = await fixture.NamesAsync(SearchableStoreFixture.All(criteria));

        Assert.Equal(["e1", "e8"], found);
    }

    [Fact]
    public async Task QueryAsync_IdComparisons_UseTheId()
    {
        var e3 = fixture.Named("e3");

        Assert.Equal(["e3"], await fixture.NamesAsync(SearchableStoreFixture.All(new EventCriteria(Text(EventField.Id, Comparator.Equal, e3.Id), []))));
        Assert.Equal(
            ["e1", "e2"],
            await fixture.NamesAsync(SearchableStoreFixture.All(new EventCriteria(Text(EventField.Id, Comparator.Less, e3.Id), []))));
    }

    [Fact]
    public async Task QueryAsync_AfterSequence_FindsOnlyEventsCommittedLater()
    {
        var sequence = await fixture.Store.FindSequenceAsync(fixture.Named("e6").Id, CancellationToken.None).WaitAsync(TestPostgres.Timeout);

        var found = await fixture.NamesAsync(SearchableStoreFixture.All(new EventCriteria(And(), [], sequence)));

        Assert.Equal(["e7", "e8", "e9", "e10", "e11", "e12"], found);
    }

    [Fact]
    public async Task QueryAsync_AnyPage_CarriesEachEventsSequence()
    {
        var page = await fixture.Store.QueryAsync(SearchableStoreFixture.All(EventCriteria.All), CancellationToken.None).WaitAsync(TestPostgres.Timeout);

        foreach (var stored in page.Stored)
        {
            Assert.Equal(await fixture.Store.FindSequenceAsync(stored.Decode().Id, CancellationToken.None).WaitAsync(TestPostgres.Timeout), stored.Sequence);
        }

        Assert.Equal(page.Stored.Select(s => s.Sequence).Order(), page.Stored.Select(s => s.Sequence));
    }

    [Fact]
    public async Task FindSequenceAsync_UnknownId_ReturnsNull()
    {
        Assert.Null(await fixture.Store.FindSequenceAsync("no-such-id", CancellationToken.None).WaitAsync(TestPostgres.Timeout));
    }

    [Fact]
    public async Task QueryAsync_TextComparedWithANumber_IsRejected()
    {
        var criteria = new EventCriteria(Number(EventField.Title, Comparator.Equal, 1), []);

        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Store.QueryAsync(SearchableStoreFixture.All(criteria), CancellationToken.None).WaitAsync(TestPostgres.Timeout));
    }

    private static string[] Names(string expected) =>
        expected.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToArray();

    private static long Minutes(int minutes) => minutes * 60L * 1_000_000;
}
