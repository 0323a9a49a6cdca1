using System.Text;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;
using Xunit;

namespace Tracker.Events.Postgres.Tests;

/// <summary>
/// Orders of several keys in mixed directions over <see cref="SearchableEvents"/>, whole and
/// page by page (keyset and offset), against the order <see cref="EventField.SortValue"/> defines.
/// </summary>
public sealed class PostgresOrderTests(SearchableStoreFixture fixture) : IClassFixture<SearchableStoreFixture>
{
    private static readonly Dictionary<string, EventOrder> Orders = new()
    {
        ["service asc, priority desc"] = Order((EventField.Service, false), (EventField.Priority, true)),
        ["end_date desc, title asc"] = Order((EventField.EndDate, true), (EventField.Title, false)),
        ["start_date asc, severity desc, created_at asc"] = Order((EventField.StartDate, false), (EventField.Severity, true), (EventField.CreatedAt, false)),
        ["title desc"] = Order((EventField.Title, true)),
        ["owner asc, code desc"] = Order((EventField.Owner, false), (EventField.Code, true)),
        ["notification desc, reason asc, impact desc"] = Order((EventField.Notification, true), (EventField.Reason, false), (EventField.Impact, true)),
        ["type asc, environment asc, updated_at desc"] = Order((EventField.Type, false), (EventField.Environment, false), (EventField.UpdatedAt, true)),
        ["status desc (ties broken by id descending)"] = Order((EventField.Status, true)),
        ["source asc, message desc, related_id asc"] = Order((EventField.Source, false), (EventField.Message, true), (EventField.RelatedId, false)),
        ["commit order"] = EventOrder.CommitOrder,
        ["sequence desc"] = Order((EventField.Sequence, true)),
    };

    public static TheoryData<string> OrderCases => [.. Orders.Keys];

    [Fact]
    public async Task QueryAsync_ServiceAscendingThenPriorityDescending_ReturnsTheOrderWrittenByHand()
    {
        var found = await fixture.NamesAsync(SearchableStoreFixture.All(EventCriteria.All, Orders["service asc, priority desc"]));

        // api (P5, P2, P1), db (P3, P2, P1), edu, finance, infra, pay%, rpa, web.
        Assert.Equal(["e12", "e1", "e8", "e9", "e11", "e2", "e5", "e10", "e3", "e4", "e6", "e7"], found);
    }

    [Theory]
    [MemberData(nameof(OrderCases))]
    public async Task QueryAsync_Order_ListsEveryEventInThatOrder(string name)
    {
        var order = Orders[name];

        var found = await fixture.NamesAsync(SearchableStoreFixture.All(EventCriteria.All, order));

        Assert.Equal(await ExpectedAsync(order), found);
    }

    [Theory]
    [MemberData(nameof(OrderCases))]
    public async Task QueryAsync_KeysetWalk_YieldsEveryEventOnceInOrder(string name)
    {
        var order = Orders[name];
        var walked = new List<string>();
        EventCursor? after = null;
        for (var pages = 0; pages < 20; pages++)
        {
            var page = await fixture.Store.QueryAsync(new EventQuery(EventCriteria.All, order, Limit: 5, After: after), CancellationToken.None).WaitAsync(TestPostgres.Timeout);
            Assert.Equal(12, page.TotalCount);
            walked.AddRange(page.Events.Select(e => fixture.NameOf(e.Id)));
            if (page.Stored.Count < 5)
            {
                break;
            }

            var last = page.Stored[^1];
            after = new EventCursor(order.Keys.Select(k => k.Field.SortValue(last, last.Decode())).ToArray(), last.Decode().Id);
        }

        Assert.Equal(await ExpectedAsync(order), walked);
    }

    [Theory]
    [MemberData(nameof(OrderCases))]
    public async Task QueryAsync_Offset_ReturnsThatSliceOfTheOrder(string name)
    {
        var order = Orders[name];

        var page = await fixture.Store.QueryAsync(new EventQuery(EventCriteria.All, order, Limit: 4, Offset: 5), CancellationToken.None).WaitAsync(TestPostgres.Timeout);

        Assert.Equal((await ExpectedAsync(order)).Skip(5).Take(4), page.Events.Select(e => fixture.NameOf(e.Id)));
        Assert.Equal(12, page.TotalCount);
    }

    [Fact]
    public async Task QueryAsync_KeysetWithAFilter_CountsTheFilterNotTheCursor()
    {
        var order = Orders["end_date desc, title asc"];
        var criteria = new EventCriteria(Expressions.Number(EventField.Environment, Comparator.Equal, 7), []);
        var first = await fixture.Store.QueryAsync(new EventQuery(criteria, order, Limit: 2), CancellationToken.None).WaitAsync(TestPostgres.Timeout);
        var last = first.Stored[^1];

        var second = await fixture.Store.QueryAsync(
            new EventQuery(criteria, order, Limit: 10, After: new EventCursor(order.Keys.Select(k => k.Field.SortValue(last, last.Decode())).ToArray(), last.Decode().Id)),
            CancellationToken.None).WaitAsync(TestPostgres.Timeout);

        // Production events, end_date descending (unset last), then title: e7, e1, then the unset ones by title: e2, e11, e10, e8.
        Assert.Equal(["e7", "e1"], first.Events.Select(e => fixture.NameOf(e.Id)));
        Assert.Equal(["e2", "e11", "e10", "e8"], second.Events.Select(e => fixture.NameOf(e.Id)));
        Assert.Equal(6, second.TotalCount);
    }

    [Fact]
    public async Task QueryAsync_OrderByARepeatedField_IsRejected()
    {
        var order = Order((EventField.StakeHolders, false));

        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Store.QueryAsync(new EventQuery(EventCriteria.All, order, Limit: 5), CancellationToken.None).WaitAsync(TestPostgres.Timeout));
    }

    /// <summary>The events sorted in C#: each key's sort value (text by UTF-8 bytes), then the id in the first key's direction.</summary>
    private async Task<List<string>> ExpectedAsync(EventOrder order)
    {
        var stored = new List<(string Name, StoredEvent Stored, Event Event)>();
        foreach (var (name, e) in fixture.Events)
        {
            var sequence = await fixture.Store.FindSequenceAsync(e.Id, CancellationToken.None).WaitAsync(TestPostgres.Timeout);
            stored.Add((name, new StoredEvent([], sequence!.Value), e));
        }

        stored.Sort((a, b) =>
        {
            foreach (var key in order.Keys)
            {
                var compared = Compare(key.Field.SortValue(a.Stored, a.Event), key.Field.SortValue(b.Stored, b.Event));
                if (compared != 0)
                {
                    return key.Descending ? -compared : compared;
                }
            }

            var byId = string.CompareOrdinal(a.Event.Id, b.Event.Id);
            return order.IdDescending ? -byId : byId;
        });
        return stored.Select(s => s.Name).ToList();
    }

    private static int Compare(FilterValue a, FilterValue b) => a.IsText
        ? Encoding.UTF8.GetBytes(a.Text!).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b.Text!))
        : a.Number.CompareTo(b.Number);

    private static EventOrder Order(params (EventField Field, bool Descending)[] keys) =>
        new(keys.Select(k => new SortKey(k.Field, k.Descending)).ToArray());
}
