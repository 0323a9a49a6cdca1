using System.Text;
using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Querying;
using Tracker.Events.Storage;
using Tracker.Events.Tests.Support;
using Tracker.Events.Watching;
using Xunit;
using static Tracker.Events.Tests.StoreContract.QueryFixture;

namespace Tracker.Events.Tests.StoreContract;

/// <summary>
/// The query semantics that every IEventStore must give (README, "Searching"): the
/// expression tree over every field, full-text words, the commit position (seq), multi-key orders
/// and their keyset positions. Derive once per store, as for <see cref="EventStoreContractTests"/>.
/// The expected results are worked out by hand from <see cref="QueryFixture"/>; values hold SQL
/// and LIKE metacharacters, which must be data. (NUL is left to each store's own tests: PostgreSQL
/// text cannot hold it.)
/// </summary>
public abstract class EventStoreQueryContractTests
{
    /// <summary>A new, migrated, empty store, private to the calling test.</summary>
    protected abstract Task<IEventStore> CreateStoreAsync();

    // ---- the expression tree --------------------------------------------------------------------

    private static readonly Dictionary<string, (FilterNode Where, string[] Expected)> Expressions = new()
    {
        ["every event"] = (And(), Names),
        ["no event"] = (Or(), []),
        ["not every event"] = (Not(And()), []),
        ["not no event"] = (Not(Or()), Names),
        ["nested any of all of"] = (
            Or(And(Is(EventField.Service, "checkout"), Not(Is(EventField.Notification, 1))), And(Is(EventField.Type, 3), Is(EventField.Severity, 2), Has(EventField.Labels, "tier"))),
            ["drift", "twin"]),
        ["double negation"] = (Not(Not(Is(EventField.Service, "payments"))), ["close", "incident"]),

        ["title equal, quotes and SQL are data"] = (Is(EventField.Title, "quote \" ' ; DROP TABLE events; --"), ["meta"]),
        ["title prefix is case-sensitive"] = (Cmp(EventField.Title, Comparator.Prefix, "Deploy"), ["decoy", "deploy", "twin"]),
        ["title lower-case prefix matches nothing"] = (Cmp(EventField.Title, Comparator.Prefix, "deploy"), []),
        ["title suffix"] = (Cmp(EventField.Title, Comparator.Suffix, "checkout"), ["decoy"]),
        ["title contains"] = (Cmp(EventField.Title, Comparator.Contains, "checkout"), ["decoy", "deploy", "twin"]),
        ["title greater in byte order"] = (Cmp(EventField.Title, Comparator.Greater, "Z"), ["bare", "cjk", "meta"]),
        ["title less"] = (Cmp(EventField.Title, Comparator.Less, "D"), ["alert", "close"]),
        ["id equal"] = (Is(EventField.Id, "not-an-id"), []),

        ["message contains percent"] = (Cmp(EventField.Message, Comparator.Contains, "100%"), ["meta"]),
        ["message contains backslash"] = (Cmp(EventField.Message, Comparator.Contains, "\\"), ["meta"]),
        ["message empty prefix matches every event"] = (Cmp(EventField.Message, Comparator.Prefix, ""), Names),
        ["negated prefix and suffix keep events whose text is empty"] = (new AllOf([new Negation(Cmp(EventField.RelatedId, Comparator.Prefix, "zz")), new Negation(Cmp(EventField.RelatedId, Comparator.Suffix, "zz"))]), Names),
        ["message present"] = (Has(EventField.Message), ["alert", "cjk", "deploy", "incident", "meta", "planned"]),
        ["message absent"] = (Not(Has(EventField.Message)), ["bare", "close", "decoy", "drift", "rpa", "twin"]),

        ["created_at range"] = (And(Cmp(EventField.CreatedAt, Comparator.GreaterOrEqual, At(5)), Cmp(EventField.CreatedAt, Comparator.Less, At(9))), ["alert", "decoy", "drift", "meta"]),
        ["created_at equal"] = (Is(EventField.CreatedAt, At(9)), ["rpa", "twin"]),
        ["created_at always present"] = (Has(EventField.CreatedAt), Names),
        ["created_at never absent"] = (Not(Has(EventField.CreatedAt)), []),
        ["updated_at greater"] = (Cmp(EventField.UpdatedAt, Comparator.Greater, At(12)), ["alert"]),
        ["updated_at always present"] = (Has(EventField.UpdatedAt), Names),

        ["source equal with percent"] = (Is(EventField.Source, "src%"), ["meta"]),
        ["source prefix"] = (Cmp(EventField.Source, Comparator.Prefix, "src"), ["meta"]),
        ["source contains underscore"] = (Cmp(EventField.Source, Comparator.Contains, "_"), ["deploy"]),
        ["source present"] = (Has(EventField.Source), ["alert", "cjk", "deploy", "incident", "meta", "rpa"]),

        ["type equal"] = (Is(EventField.Type, (long)Api.V1Alpha1.Type.Incident), ["alert", "close", "incident"]),
        ["type not equal"] = (Not(Is(EventField.Type, (long)Api.V1Alpha1.Type.Incident)), AllBut("alert", "close", "incident")),
        ["type in"] = (Or(Is(EventField.Type, 2), Is(EventField.Type, 5)), ["meta", "planned", "rpa"]),
        ["type present"] = (Has(EventField.Type), AllBut("bare")),

        ["priority at most P2 includes unset"] = (Cmp(EventField.Priority, Comparator.LessOrEqual, 2), ["alert", "bare", "close", "deploy", "incident", "meta", "planned", "twin"]),
        ["priority set and at most P2"] = (And(Has(EventField.Priority), Cmp(EventField.Priority, Comparator.LessOrEqual, 2)), ["alert", "close", "deploy", "incident", "twin"]),
        ["priority greater"] = (Cmp(EventField.Priority, Comparator.Greater, 3), ["decoy", "drift"]),

        ["related_id equal"] = (Is(EventField.RelatedId, "rel-1"), ["close", "deploy"]),
        ["related_id present"] = (Has(EventField.RelatedId), ["close", "decoy", "deploy"]),

        ["service equal is exact"] = (Is(EventField.Service, "checkout"), ["alert", "deploy", "twin"]),
        ["service prefix"] = (Cmp(EventField.Service, Comparator.Prefix, "checkout"), ["alert", "cjk", "deploy", "twin"]),
        ["service prefix with percent"] = (Cmp(EventField.Service, Comparator.Prefix, "50%"), ["meta"]),
        ["service prefix with underscore is no wildcard"] = (Cmp(EventField.Service, Comparator.Prefix, "50_"), []),
        ["service contains percent underscore"] = (Cmp(EventField.Service, Comparator.Contains, "%_"), ["meta"]),
        ["service contains x underscore"] = (Cmp(EventField.Service, Comparator.Contains, "x_"), ["decoy"]),
        ["service suffix with backslash"] = (Cmp(EventField.Service, Comparator.Suffix, "_off\\"), ["decoy", "meta"]),
        ["service less, empty first"] = (Cmp(EventField.Service, Comparator.Less, "c"), ["bare", "decoy", "meta"]),
        ["service present"] = (Has(EventField.Service), AllBut("bare")),

        ["status equal"] = (Is(EventField.Status, (long)Status.Success), ["deploy", "twin"]),
        ["status greater"] = (Cmp(EventField.Status, Comparator.Greater, 8), ["cjk", "planned", "rpa"]),
        ["status in"] = (Or(Is(EventField.Status, (long)Status.Open), Is(EventField.Status, (long)Status.Close)), ["alert", "close"]),
        ["environment equal"] = (Is(EventField.Environment, (long)Api.V1Alpha1.Environment.Production), ["alert", "close", "deploy", "incident", "twin"]),
        ["environment not equal"] = (Not(Is(EventField.Environment, (long)Api.V1Alpha1.Environment.Production)), AllBut("alert", "close", "deploy", "incident", "twin")),
        ["impact at least medium"] = (Cmp(EventField.Impact, Comparator.GreaterOrEqual, (long)Impact.Medium), ["alert", "close", "decoy", "incident", "planned"]),

        ["start_date compares the event time"] = (Cmp(EventField.StartDate, Comparator.GreaterOrEqual, At(5)), ["alert", "cjk", "decoy", "meta", "planned", "rpa", "twin"]),
        ["start_date less"] = (Cmp(EventField.StartDate, Comparator.Less, At(2)), ["deploy", "drift"]),
        ["start_date at most, created_at standing in"] = (Cmp(EventField.StartDate, Comparator.LessOrEqual, At(2)), ["close", "deploy", "drift", "incident"]),
        ["start_date present means set"] = (Has(EventField.StartDate), ["close", "cjk", "deploy", "drift", "planned"]),
        ["start_date absent"] = (Not(Has(EventField.StartDate)), AllBut("close", "cjk", "deploy", "drift", "planned")),

        ["end_date greater"] = (Cmp(EventField.EndDate, Comparator.Greater, At(6)), ["close", "decoy", "planned"]),
        ["end_date negated includes unset"] = (Not(Cmp(EventField.EndDate, Comparator.Greater, At(6))), AllBut("close", "decoy", "planned")),
        ["end_date less excludes unset"] = (Cmp(EventField.EndDate, Comparator.Less, At(2)), ["deploy"]),
        ["end_date equal"] = (Is(EventField.EndDate, At(6)), ["cjk"]),
        ["end_date present"] = (Has(EventField.EndDate), ["close", "cjk", "decoy", "deploy", "planned"]),

        ["owner equal with quote"] = (Is(EventField.Owner, "o'brien"), ["meta"]),
        ["owner contains quote"] = (Cmp(EventField.Owner, Comparator.Contains, "'"), ["meta"]),
        ["owner prefix"] = (Cmp(EventField.Owner, Comparator.Prefix, "team"), ["alert", "deploy", "incident"]),
        ["owner equal is case-sensitive"] = (Is(EventField.Owner, "obrien"), []),

        ["severity equal"] = (Is(EventField.Severity, (long)Severity.Warning), ["decoy", "drift"]),
        ["severity greater"] = (Cmp(EventField.Severity, Comparator.Greater, (long)Severity.Warning), ["alert", "close", "incident"]),
        ["severity present"] = (Has(EventField.Severity), ["alert", "close", "decoy", "deploy", "drift", "incident", "planned"]),
        ["reason contains percent"] = (Cmp(EventField.Reason, Comparator.Contains, "%"), ["meta"]),
        ["reason suffix"] = (Cmp(EventField.Reason, Comparator.Suffix, "Change"), ["drift"]),
        ["reason present"] = (Has(EventField.Reason), ["deploy", "drift", "meta"]),

        ["code negative"] = (Cmp(EventField.Code, Comparator.Less, 0), ["cjk"]),
        ["code zero"] = (Is(EventField.Code, 0), ["alert", "bare", "close", "decoy", "meta", "planned", "twin"]),
        ["code present"] = (Has(EventField.Code), ["cjk", "deploy", "drift", "incident", "rpa"]),
        ["code greater"] = (Cmp(EventField.Code, Comparator.Greater, 100), ["deploy", "incident"]),
        ["notification true"] = (Is(EventField.Notification, 1), ["alert", "deploy"]),
        ["notification false"] = (Is(EventField.Notification, 0), AllBut("alert", "deploy")),
        ["notification present"] = (Has(EventField.Notification), ["alert", "deploy"]),

        ["stake_holders any element"] = (Is(EventField.StakeHolders, "ops"), ["close", "deploy", "incident"]),
        ["stake_holders negated includes empty"] = (Not(Is(EventField.StakeHolders, "ops")), AllBut("close", "deploy", "incident")),
        ["stake_holders present"] = (Has(EventField.StakeHolders), ["close", "deploy", "drift", "incident", "meta"]),
        ["stake_holders empty prefix means any element"] = (Cmp(EventField.StakeHolders, Comparator.Prefix, ""), ["close", "deploy", "drift", "incident", "meta"]),
        ["stake_holders contains underscore"] = (Cmp(EventField.StakeHolders, Comparator.Contains, "_"), ["meta"]),
        ["notifications any element"] = (Is(EventField.Notifications, "slack"), ["cjk", "deploy"]),
        ["notifications second element"] = (Is(EventField.Notifications, "email"), ["cjk"]),
        ["notifications absent"] = (Not(Has(EventField.Notifications)), AllBut("cjk", "deploy")),
        ["arguments any element"] = (Is(EventField.Arguments, "vm1"), ["rpa"]),
        ["arguments second element"] = (Is(EventField.Arguments, "vm2"), ["rpa"]),
        ["arguments negated includes empty"] = (Not(Is(EventField.Arguments, "vm1")), AllBut("rpa")),
        ["arguments prefix"] = (Cmp(EventField.Arguments, Comparator.Prefix, "vm1"), ["incident", "rpa"]),
        ["arguments present"] = (Has(EventField.Arguments), ["incident", "rpa"]),

        ["resources.kind any resource"] = (Is(EventField.ResourceKind, "Deployment"), ["decoy", "deploy"]),
        ["resources.kind with quote"] = (Cmp(EventField.ResourceKind, Comparator.Suffix, "'"), ["meta"]),
        ["resources.kind absent"] = (Not(Has(EventField.ResourceKind)), AllBut("decoy", "deploy", "incident", "meta")),
        ["resources.id"] = (Is(EventField.ResourceId, "uid-1"), ["deploy"]),
        ["resources.id present"] = (Has(EventField.ResourceId), ["deploy"]),
        ["resources.name present ignores empty names"] = (Has(EventField.ResourceName), ["deploy", "incident", "meta"]),
        ["resources.name contains percent"] = (Cmp(EventField.ResourceName, Comparator.Contains, "%"), ["meta"]),
        ["resources.name contains underscore"] = (Cmp(EventField.ResourceName, Comparator.Contains, "_"), ["incident"]),
        ["resources.namespace equal empty"] = (Is(EventField.ResourceNamespace, ""), ["incident", "meta"]),
        ["resources.namespace present"] = (Has(EventField.ResourceNamespace), ["decoy", "deploy"]),

        ["label equal"] = (Label("team", Comparator.Equal, "core"), ["alert", "cjk", "deploy", "twin"]),
        ["label equal empty value"] = (Label("team", Comparator.Equal, ""), ["incident"]),
        ["label key present even with empty value"] = (Has(EventField.Labels, "team"), ["alert", "cjk", "deploy", "incident", "twin"]),
        ["label negated includes events without the key"] = (Not(Label("team", Comparator.Equal, "core")), AllBut("alert", "cjk", "deploy", "twin")),
        ["label key with percent"] = (Label("k%", Comparator.Equal, "v_"), ["meta"]),
        ["label key with underscore is no wildcard"] = (Has(EventField.Labels, "k_"), []),
        ["label prefix"] = (Label("k%", Comparator.Prefix, "v"), ["meta"]),
        ["label greater"] = (Label("tier", Comparator.Greater, "1"), ["drift"]),
        ["label at least"] = (Label("tier", Comparator.GreaterOrEqual, "1"), ["deploy", "drift", "twin"]),
        ["label key named like a field"] = (Label("severity", Comparator.Equal, "page"), ["alert"]),
        ["any label"] = (Has(EventField.Labels), ["alert", "cjk", "deploy", "drift", "incident", "meta", "twin"]),
    };

    public static TheoryData<string> ExpressionCases => new(Expressions.Keys);

    [Theory]
    [MemberData(nameof(ExpressionCases))]
    public async Task QueryAsync_Expression_ReturnsExactlyTheMatchingEvents(string name)
    {
        var (where, expected) = Expressions[name];
        var store = await CreateStoreAsync().Bounded();
        var fixture = await QueryFixture.CreateAsync(store).Bounded();

        var page = await QueryAsync(store, new EventCriteria(where, []));

        Assert.Equal(expected.Order(StringComparer.Ordinal), fixture.NamesOf(page.Events));
        Assert.Equal(expected.Length, page.TotalCount);
    }

    [Fact]
    public async Task QueryAsync_IdEqual_ReturnsThatEvent()
    {
        var store = await CreateStoreAsync().Bounded();
        var fixture = await QueryFixture.CreateAsync(store).Bounded();

        var page = await QueryAsync(store, new EventCriteria(Is(EventField.Id, fixture["drift"].Id), []));

        Assert.Equal(["drift"], fixture.NamesOf(page.Events));
    }

    // ---- the field catalog --------------------------------------------------------------------------

    public static TheoryData<string> FieldNames => new(EventFields.All.Select(f => f.Name));

    /// <summary>
    /// Every declared field reaches this store: a comparison with every comparator its kind takes,
    /// its presence, its negation and, when it sorts, an order and a keyset page, each run as SQL
    /// here, so that a field whose shape the store lacks fails this test, never a call.
    /// </summary>
    [Theory]
    [MemberData(nameof(FieldNames))]
    public async Task QueryAsync_EveryDeclaredField_RunsEveryComparatorPresenceAndOrder(string name)
    {
        var field = EventFields.Find(name)!;
        var store = await CreateStoreAsync().Bounded();
        var fixture = await QueryFixture.CreateAsync(store).Bounded();
        foreach (var node in DeclaredFieldNodes.Of(field))
        {
            var expected = fixture.Events.Where(e => EventMatcher.Holds(node, e)).ToArray();
            Assert.Equal(fixture.NamesOf(expected), await NamesAsync(store, fixture, node));
            Assert.Equal(fixture.NamesOf(fixture.Events.Except(expected)), await NamesAsync(store, fixture, Not(node)));
        }

        if (field.Sortable)
        {
            var order = new EventOrder([new SortKey(field, Descending: true)]);
            var first = await store.QueryAsync(new EventQuery(EventCriteria.All, order, Limit: 3), CancellationToken.None).Bounded();
            var last = first.Stored[^1];
            var cursor = new EventCursor([field.SortValue(last, last.Decode())], last.Decode().Id);
            var rest = await store.QueryAsync(new EventQuery(EventCriteria.All, order, Limit: 100, After: cursor), CancellationToken.None).Bounded();
            Assert.Equal(fixture.Events.Count, first.Events.Count + rest.Events.Count);
            Assert.Empty(first.Events.Select(e => e.Id).Intersect(rest.Events.Select(e => e.Id)));
        }
    }

    /// <summary>The MWS events API's arguments (its seed: "arguments": ["vm1"]), as a filter, a query and a watch see them.</summary>
    [Theory]
    [InlineData("arguments:\"vm1\"", "rpa")]
    [InlineData("attributes.arguments = \"vm2\"", "rpa")]
    [InlineData("arguments:vm1*", "incident rpa")]
    [InlineData("arguments:*", "incident rpa")]
    [InlineData("{\"arguments\":\"vm1\"}", "rpa")]
    [InlineData("{\"arguments\":{\"$in\":[\"vm2\",\"vm10\"]}}", "incident rpa")]
    [InlineData("{\"arguments\":{\"$exists\":true}}", "incident rpa")]
    [InlineData("{\"arguments\":{\"$exists\":false}}", "alert bare cjk close decoy deploy drift meta planned twin")]
    public async Task QueryAsync_ArgumentsFilterOrQuery_FindsWhatTheWatchMatcherMatches(string text, string expected)
    {
        var parsed = text.StartsWith('{') ? Tracker.Events.Querying.MongoQueryParser.Parse(text) : Tracker.Events.Querying.FilterParser.Parse(text);
        var where = parsed.Node ?? throw new InvalidOperationException(parsed.Error!.ToString());
        var store = await CreateStoreAsync().Bounded();
        var fixture = await QueryFixture.CreateAsync(store).Bounded();

        var found = await NamesAsync(store, fixture, where);

        Assert.Equal(expected.Split(' '), found);
        Assert.Equal(found, fixture.NamesOf(fixture.Events.Where(e => EventMatcher.Holds(where, e))));
    }

    // ---- full text ----------------------------------------------------------------------------------

    private static readonly Dictionary<string, (string[] Words, string[] Expected)> WordCases = new()
    {
        ["prefix of a word, any case"] = (["deploy"], ["decoy", "deploy", "twin"]),
        ["upper-case accented word"] = (["déploiement"], ["deploy"]),
        ["accents are kept"] = (["deploiement"], []),
        ["cyrillic prefix, any case"] = (["развертыв"], ["incident"]),
        ["every word must match"] = (["checkout", "v1"], ["deploy", "twin"]),
        ["words in title or message"] = (["p99", "latency"], ["alert"]),
        ["upper-case text"] = (["check"], ["alert", "decoy", "deploy", "twin"]),
        ["digits"] = (["50"], ["incident"]),
        ["inside a word is no match"] = (["ploy"], []),
        ["unknown word"] = (["xyz"], []),
    };

    public static TheoryData<string> FullTextCases => new(WordCases.Keys);

    [Theory]
    [MemberData(nameof(FullTextCases))]
    public async Task QueryAsync_Words_EachStartsAWordOfTitleOrMessage(string name)
    {
        var (words, expected) = WordCases[name];
        var store = await CreateStoreAsync().Bounded();
        var fixture = await QueryFixture.CreateAsync(store).Bounded();

        var page = await QueryAsync(store, new EventCriteria(And(), words));

        Assert.Equal(expected.Order(StringComparer.Ordinal), fixture.NamesOf(page.Events));
        Assert.Equal(expected.Length, page.TotalCount);
    }

    /// <summary>
    /// A q word may be as long as <see cref="FullTextWords.MaxWordChars"/> in any script
    /// (1, 3 or 4 bytes of UTF-8 a character), and an event's words longer still; every store finds
    /// the long words the query's words begin, and only those.
    /// </summary>
    [Fact]
    public async Task QueryAsync_WordsOfTheLongestAllowedLength_FindTheLongerWordsTheyBegin()
    {
        static string Repeat(string text, int count) => string.Concat(Enumerable.Repeat(text, count));
        var longest = FullTextWords.MaxWordChars;
        var store = await CreateStoreAsync().Bounded();
        var fixture = await QueryFixture.CreateAsync(store).Bounded();
        var messages = new Dictionary<string, string>
        {
            ["bare"] = Repeat("語", 1000) + "a",
            ["meta"] = Repeat("語", longest - 1) + "b" + Repeat("語", 600),
            ["drift"] = Repeat("\U00020000", 600),
            ["close"] = Repeat("a", 3000),
        };
        foreach (var (name, message) in messages)
        {
            var e = fixture[name];
            Assert.True(await store.ReplaceAsync(NextVersion(e, v => v.Attributes.Message = message), e.Etag, CancellationToken.None).Bounded());
        }

        Assert.Equal(["bare"], await NamesAsync(store, fixture, And(), Repeat("語", longest)));
        Assert.Equal(["meta"], await NamesAsync(store, fixture, And(), Repeat("語", longest - 1) + "b"));
        Assert.Equal(["bare", "meta"], await NamesAsync(store, fixture, And(), Repeat("語", longest - 1)));
        Assert.Equal(["drift"], await NamesAsync(store, fixture, And(), Repeat("\U00020000", longest)));
        Assert.Equal(["close"], await NamesAsync(store, fixture, And(), Repeat("a", longest)));
        Assert.Empty(await NamesAsync(store, fixture, And(), Repeat("a", longest - 1) + "b"));
    }

    [Fact]
    public async Task QueryAsync_WordsAndExpression_BothHold()
    {
        var store = await CreateStoreAsync().Bounded();
        var fixture = await QueryFixture.CreateAsync(store).Bounded();

        var page = await QueryAsync(store, new EventCriteria(Is(EventField.Service, "checkout"), ["deploy"]));

        Assert.Equal(["deploy", "twin"], fixture.NamesOf(page.Events));
    }

    // ---- commit position -------------------------------------------------------------------------------

    [Fact]
    public async Task FindSequenceAsync_EventsCreatedInTurn_IncreaseAndMatchTheQueriedSequence()
    {
        var store = await CreateStoreAsync().Bounded();
        var fixture = await QueryFixture.CreateAsync(store).Bounded();

        var found = new List<long>();
        foreach (var e in fixture.Events)
        {
            found.Add(await store.FindSequenceAsync(e.Id, CancellationToken.None).Bounded() ?? throw new Xunit.Sdk.XunitException($"no seq for {e.Id}"));
        }

        var page = await store.QueryAsync(new EventQuery(EventCriteria.All, EventOrder.CommitOrder, Limit: 100), CancellationToken.None).Bounded();
        Assert.Equal(found.Order(), found);
        Assert.Equal(found.Count, found.Distinct().Count());
        Assert.Equal(fixture.Events.Select(e => e.Id), page.Events.Select(e => e.Id));
        Assert.Equal(found, page.Stored.Select(s => s.Sequence));
    }

    [Fact]
    public async Task FindSequenceAsync_UnknownOrDeletedId_ReturnsNull()
    {
        var store = await CreateStoreAsync().Bounded();
        var fixture = await QueryFixture.CreateAsync(store).Bounded();

        await store.DeleteAsync(fixture["bare"].Id, null, CancellationToken.None).Bounded();

        Assert.Null(await store.FindSequenceAsync(Guid.CreateVersion7().ToString(), CancellationToken.None).Bounded());
        Assert.Null(await store.FindSequenceAsync(fixture["bare"].Id, CancellationToken.None).Bounded());
    }

    [Fact]
    public async Task CreateAsync_AfterTheLatestEventIsDeleted_TakesANewLargerSequence()
    {
        var store = await CreateStoreAsync().Bounded();
        var fixture = await QueryFixture.CreateAsync(store).Bounded();
        var latest = fixture["close"];
        var deletedSequence = await store.FindSequenceAsync(latest.Id, CancellationToken.None).Bounded();
        await store.DeleteAsync(latest.Id, null, CancellationToken.None).Bounded();

        var next = QueryFixture.Extra("after the delete");
        await store.CreateAsync(next, null, CancellationToken.None).Bounded();

        Assert.True(await store.FindSequenceAsync(next.Id, CancellationToken.None).Bounded() > deletedSequence);
    }

    [Fact]
    public async Task ReplaceAsync_AnyChange_KeepsTheSequence()
    {
        var store = await CreateStoreAsync().Bounded();
        var fixture = await QueryFixture.CreateAsync(store).Bounded();
        var e = fixture["incident"];
        var before = await store.FindSequenceAsync(e.Id, CancellationToken.None).Bounded();

        await store.ReplaceAsync(NextVersion(e, v => v.Title = "renamed"), e.Etag, CancellationToken.None).Bounded();

        Assert.Equal(before, await store.FindSequenceAsync(e.Id, CancellationToken.None).Bounded());
    }

    [Fact]
    public async Task QueryAsync_AfterSequence_ReturnsTheLaterCommitsInCommitOrder()
    {
        var store = await CreateStoreAsync().Bounded();
        var fixture = await QueryFixture.CreateAsync(store).Bounded();
        var position = await store.FindSequenceAsync(fixture["meta"].Id, CancellationToken.None).Bounded();

        var page = await store.QueryAsync(new EventQuery(new EventCriteria(And(), [], position), EventOrder.CommitOrder, Limit: 100), CancellationToken.None).Bounded();

        Assert.Equal(new[] { "decoy", "alert", "drift", "rpa", "planned", "twin", "close" }.Select(n => fixture[n].Id), page.Events.Select(e => e.Id));
        Assert.Equal(7, page.TotalCount);
    }

    [Fact]
    public async Task QueryAsync_PollingAfterSequenceWhileOthersCreate_SeesEveryEventExactlyOnce()
    {
        var store = await CreateStoreAsync().Bounded();
        const int Writers = 4;
        const int EventsPerWriter = 60;
        var created = Enumerable.Range(0, Writers * EventsPerWriter).Select(i => QueryFixture.Extra($"polled {i}")).ToArray();
        var writing = Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = w; i < created.Length; i += Writers)
            {
                await store.CreateAsync(created[i], null, CancellationToken.None);
            }
        })));

        // Polls until the writers are done, however long their commits take (each one is an
        // fsync on SQLite), then once more from the position to drain what is left. A hang is
        // bounded by the test timeout, not by a count of polls.
        using var bound = new CancellationTokenSource(TestTimeout.Default);
        var seen = new List<StoredEvent>();
        long? position = null;
        while (true)
        {
            var finished = writing.IsCompleted;
            var page = await store.QueryAsync(new EventQuery(new EventCriteria(And(), [], position), EventOrder.CommitOrder, Limit: 7), bound.Token).Bounded();
            seen.AddRange(page.Stored);
            position = page.Stored.Count > 0 ? page.Stored[^1].Sequence : position;
            if (page.Stored.Count == 0)
            {
                if (finished)
                {
                    break;
                }

                await Task.Delay(1, bound.Token);
            }
        }

        await writing.Bounded();
        var ids = seen.Select(s => s.Decode().Id).ToArray();
        Assert.Equal(created.Select(e => e.Id).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        Assert.Equal(seen.Select(s => s.Sequence).Order(), seen.Select(s => s.Sequence));
        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    // ---- multi-key order and keyset ------------------------------------------------------------------

    /// <summary>Orders as "field,-field": a leading '-' is descending.</summary>
    public static TheoryData<string> MultiKeyOrders => new(
        "service,-priority",
        "-severity,start_date",
        "end_date",
        "-end_date,title",
        "title",
        "-notification,code,-created_at",
        "-sequence",
        "type,-status,impact,-environment,owner",
        "-related_id,updated_at,reason,-source,message",
        "-id");

    [Theory]
    [MemberData(nameof(MultiKeyOrders))]
    public async Task QueryAsync_MultiKeyOrder_SortsByEachKeyThenIdInTheFirstKeysDirection(string orderText)
    {
        var store = await CreateStoreAsync().Bounded();
        var fixture = await QueryFixture.CreateAsync(store).Bounded();
        var order = ParseOrder(orderText);
        var expected = await ExpectedOrderAsync(store, fixture, order);

        var page = await store.QueryAsync(new EventQuery(EventCriteria.All, order, Limit: 100), CancellationToken.None).Bounded();
        var sliced = await store.QueryAsync(new EventQuery(EventCriteria.All, order, Limit: 4, Offset: 5), CancellationToken.None).Bounded();

        Assert.Equal(expected, page.Events.Select(e => e.Id));
        Assert.Equal(expected.Skip(5).Take(4), sliced.Events.Select(e => e.Id));
        Assert.Equal(12, sliced.TotalCount);
    }

    [Theory]
    [MemberData(nameof(MultiKeyOrders))]
    public async Task QueryAsync_KeysetWalkInMultiKeyOrder_YieldsEveryEventOnceInOrder(string orderText)
    {
        var store = await CreateStoreAsync().Bounded();
        var fixture = await QueryFixture.CreateAsync(store).Bounded();
        var order = ParseOrder(orderText);
        var expected = await ExpectedOrderAsync(store, fixture, order);

        var walked = new List<string>();
        EventCursor? after = null;
        for (var pages = 0; pages < 20; pages++)
        {
            var page = await store.QueryAsync(new EventQuery(EventCriteria.All, order, Limit: 3, After: after), CancellationToken.None).Bounded();
            Assert.Equal(12, page.TotalCount);
            walked.AddRange(page.Events.Select(e => e.Id));
            if (page.Stored.Count < 3)
            {
                break;
            }

            var last = page.Stored[^1];
            var decoded = last.Decode();
            after = new EventCursor(order.Keys.Select(k => k.Field.SortValue(last, decoded)).ToArray(), decoded.Id);
        }

        Assert.Equal(expected, walked);
    }

    [Fact]
    public async Task QueryAsync_KeysetWithExpression_StaysWithinItAndCountsItAll()
    {
        var store = await CreateStoreAsync().Bounded();
        var fixture = await QueryFixture.CreateAsync(store).Bounded();
        var order = ParseOrder("-environment,title");
        var first = await store.QueryAsync(new EventQuery(new EventCriteria(Has(EventField.Labels), []), order, Limit: 4), CancellationToken.None).Bounded();
        var last = first.Stored[^1];
        var after = new EventCursor(order.Keys.Select(k => k.Field.SortValue(last, last.Decode())).ToArray(), last.Decode().Id);

        var second = await store.QueryAsync(new EventQuery(new EventCriteria(Has(EventField.Labels), []), order, Limit: 4, After: after), CancellationToken.None).Bounded();

        // Labelled: deploy, incident, alert, twin (production, 7) then drift (6), cjk (1), meta (0).
        Assert.Equal(["alert", "deploy", "incident", "twin"], fixture.NamesOf(first.Events));
        Assert.Equal(new[] { "drift", "cjk", "meta" }.Select(n => fixture[n].Id), second.Events.Select(e => e.Id));
        Assert.Equal(7, second.TotalCount);
    }

    // ---- updates and deletes keep the search data in step ----------------------------------------------

    [Fact]
    public async Task ReplaceAsync_ChangedSearchFields_QueriesSeeOnlyTheNewValues()
    {
        var store = await CreateStoreAsync().Bounded();
        var fixture = await QueryFixture.CreateAsync(store).Bounded();
        var e = fixture["deploy"];
        var updated = NextVersion(e, v =>
        {
            v.Title = "Rollback checkout";
            v.Attributes.Message = "reverted";
            v.Attributes.Labels.Clear();
            v.Attributes.Labels.Add("team", "edge");
            v.Attributes.Resources.Clear();
            v.Attributes.StakeHolders.Clear();
            v.Attributes.StakeHolders.Add("finance");
            v.Attributes.Notifications.Clear();
            v.Attributes.Severity = Severity.Alert;
            v.Attributes.EndDate = null;
        });

        Assert.True(await store.ReplaceAsync(updated, e.Etag, CancellationToken.None).Bounded());

        Assert.DoesNotContain("deploy", await NamesAsync(store, fixture, Label("team", Comparator.Equal, "core")));
        Assert.Contains("deploy", await NamesAsync(store, fixture, Label("team", Comparator.Equal, "edge")));
        Assert.DoesNotContain("deploy", await NamesAsync(store, fixture, Has(EventField.Labels, "tier")));
        Assert.DoesNotContain("deploy", await NamesAsync(store, fixture, Is(EventField.ResourceKind, "Deployment")));
        Assert.DoesNotContain("deploy", await NamesAsync(store, fixture, Is(EventField.StakeHolders, "ops")));
        Assert.Equal(["deploy"], await NamesAsync(store, fixture, Is(EventField.StakeHolders, "finance")));
        Assert.Equal(["cjk"], await NamesAsync(store, fixture, Is(EventField.Notifications, "slack")));
        Assert.Equal(["alert", "deploy"], await NamesAsync(store, fixture, Is(EventField.Severity, (long)Severity.Alert)));
        Assert.DoesNotContain("deploy", await NamesAsync(store, fixture, Has(EventField.EndDate)));
        Assert.Equal(["decoy", "twin"], await NamesAsync(store, fixture, And(), "deploy"));
        Assert.Equal(["deploy"], await NamesAsync(store, fixture, And(), "rollback", "reverted"));
        Assert.Empty(await NamesAsync(store, fixture, And(), "déploiement"));
    }

    [Fact]
    public async Task DeleteAsync_Event_NoQueryFindsItBySearchFields()
    {
        var store = await CreateStoreAsync().Bounded();
        var fixture = await QueryFixture.CreateAsync(store).Bounded();

        await store.DeleteAsync(fixture["deploy"].Id, null, CancellationToken.None).Bounded();

        Assert.Equal(["alert", "cjk", "twin"], await NamesAsync(store, fixture, Label("team", Comparator.Equal, "core")));
        Assert.Equal(["decoy"], await NamesAsync(store, fixture, Is(EventField.ResourceKind, "Deployment")));
        Assert.Equal(["close", "incident"], await NamesAsync(store, fixture, Is(EventField.StakeHolders, "ops")));
        Assert.Equal(["decoy", "twin"], await NamesAsync(store, fixture, And(), "deploy"));
        Assert.Equal(11, (await QueryAsync(store, EventCriteria.All)).TotalCount);
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private static Comparison Is(EventField field, string value) => new(field, Comparator.Equal, FilterValue.Of(value));

    private static Comparison Is(EventField field, long value) => new(field, Comparator.Equal, FilterValue.Of(value));

    private static Comparison Cmp(EventField field, Comparator comparator, string value) => new(field, comparator, FilterValue.Of(value));

    private static Comparison Cmp(EventField field, Comparator comparator, long value) => new(field, comparator, FilterValue.Of(value));

    private static Comparison Label(string key, Comparator comparator, string value) => new(EventField.Labels, comparator, FilterValue.Of(value), key);

    private static Presence Has(EventField field, string? labelKey = null) => new(field, labelKey);

    private static Negation Not(FilterNode term) => new(term);

    private static AllOf And(params FilterNode[] terms) => new(terms);

    private static AnyOf Or(params FilterNode[] terms) => new(terms);

    private static Task<EventPage> QueryAsync(IEventStore store, EventCriteria criteria) =>
        store.QueryAsync(new EventQuery(criteria, EventOrder.NewestFirst, Limit: 100), CancellationToken.None).Bounded();

    private static async Task<string[]> NamesAsync(IEventStore store, QueryFixture fixture, FilterNode where, params string[] words) =>
        fixture.NamesOf((await QueryAsync(store, new EventCriteria(where, words))).Events);

    private static EventOrder ParseOrder(string text) =>
        new(text.Split(',').Select(key =>
        {
            var descending = key.StartsWith('-');
            var name = descending ? key[1..] : key;
            var field = name == "sequence" ? EventField.Sequence : EventFields.Find(name) ?? throw new ArgumentException(name);
            return new SortKey(field, descending);
        }).ToArray());

    /// <summary>The ids in <paramref name="order"/>, computed here from the sort values (text in UTF-8 byte order).</summary>
    private static async Task<string[]> ExpectedOrderAsync(IEventStore store, QueryFixture fixture, EventOrder order)
    {
        var rows = new List<(FilterValue[] Keys, string Id)>();
        foreach (var e in fixture.Events)
        {
            var stored = new StoredEvent([], await store.FindSequenceAsync(e.Id, CancellationToken.None).Bounded() ?? 0);
            rows.Add((order.Keys.Select(k => k.Field.SortValue(stored, e)).ToArray(), e.Id));
        }

        rows.Sort((x, y) =>
        {
            for (var i = 0; i < order.Keys.Count; i++)
            {
                var c = CompareValues(x.Keys[i], y.Keys[i]);
                if (c != 0)
                {
                    return order.Keys[i].Descending ? -c : c;
                }
            }

            var byId = CompareValues(FilterValue.Of(x.Id), FilterValue.Of(y.Id));
            return order.IdDescending ? -byId : byId;
        });
        return rows.Select(r => r.Id).ToArray();
    }

    private static int CompareValues(FilterValue x, FilterValue y) =>
        x.Text is { } a && y.Text is { } b
            ? Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b))
            : x.Number.CompareTo(y.Number);


    private static Event NextVersion(Event current, Action<Event> change)
    {
        var next = current.Clone();
        change(next);
        next.Etag = Guid.NewGuid().ToString("N");
        next.UpdatedAt = Timestamp.FromDateTimeOffset(current.UpdatedAt.ToDateTimeOffset().AddSeconds(1));
        return next;
    }
}
