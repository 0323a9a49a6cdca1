using System.Diagnostics;
using System.Text;
using CsCheck;
using Google.Protobuf;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;
using Tracker.Events.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Tracker.Events.Tests.StoreContract;

/// <summary>
/// A differential property of every IEventStore, run against each implementation by deriving
/// from this class (SQLite, PostgreSQL): for random events and random queries (expressions of
/// every node kind over every field, words, after_id positions, multi-key orders), QueryAsync
/// returns what <see cref="ReferenceEvaluator"/> computes from the README's Searching rules: the same ids in
/// the same order and the same TotalCount, in one page, in a keyset walk whose cursors are built
/// from the last row's <see cref="EventField.SortValue"/>, and in one more page at an offset or
/// after an arbitrary cursor. Each event set goes into a fresh store (created one by one, then
/// some events replaced by new versions and some deleted, so indexes and side tables must follow)
/// and serves many queries.
/// The cases come from <see cref="PropertySeed"/>: fixed, or TRACKER_PROPERTY_SEED; a failure
/// names the seed and the case, shrunk to the least expression that still fails.
/// </summary>
public abstract class EventStoreQueryPropertyTests(ITestOutputHelper output)
{
    private const int EventSets = 40;
    private const int QueriesPerSet = 50;
    private const int MinEvents = 60;
    private const int MaxEvents = 200;
    private const int MaxReported = 3;

    /// <summary>The keyset walk takes at most about this many pages, whatever the result's size.</summary>
    private const int WalkPages = 6;

    /// <summary>A new, migrated, empty store; each call gives another.</summary>
    protected abstract Task<IEventStore> CreateStoreAsync();

    [Fact]
    public async Task QueryAsync_RandomQueries_ReturnWhatTheReferenceEvaluatorReturns()
    {
        var seed = PropertySeed.Value;
        var failures = new List<string>();
        var cases = 0;
        var sets = 0;
        var clock = Stopwatch.StartNew();
        for (var set = 0; set < EventSets && failures.Count < MaxReported; set++)
        {
            var pcg = new PCG((uint)set, seed);
            var events = QueryGenerators.Events(MinEvents, MaxEvents).Draw(pcg);
            var changes = QueryGenerators.Changes(events).Draw(pcg);
            sets++;
            var store = await CreateStoreAsync().Bounded();
            var rows = await StoreAsync(store, events, changes);
            var queries = QueryGenerators.Query(rows.Select(r => r.Event).ToArray(), depth: 4);
            for (var i = 0; i < QueriesPerSet && failures.Count < MaxReported; i++)
            {
                var query = queries.Draw(pcg);
                cases++;
                if (await ProblemAsync(store, rows, query) is null)
                {
                    continue;
                }

                var least = await ShrinkAsync(store, rows, query);
                failures.Add(
                    $"{PropertySeed.Rerun(seed)}; event set {set} ({rows.Count} events), query {i}\n" +
                    Describe(least, rows) +
                    await ProblemAsync(store, rows, least) +
                    $"  before shrinking:\n{Describe(query, rows)}");
            }
        }

        output.WriteLine($"{cases} queries over {sets} event sets in {clock.Elapsed.TotalSeconds:F1} s; {PropertySeed.Rerun(seed)}");
        Assert.True(failures.Count == 0, $"The store disagrees with the reference evaluator ({cases} cases):\n\n" + string.Join("\n\n", failures));
    }

    // ---- one case ----------------------------------------------------------------------------------

    /// <summary>What the store gets wrong about a query, or null when it answers as the reference does.</summary>
    private static async Task<string?> ProblemAsync(IEventStore store, IReadOnlyList<ReferenceRow> rows, QueryCase c)
    {
        var criteria = Criteria(c, rows);

        // The whole result in one page.
        var all = new EventQuery(criteria, c.Order, Limit: rows.Count + 1);
        var (expected, total) = ReferenceEvaluator.Query(rows, all);
        var page = await store.QueryAsync(all, CancellationToken.None).Bounded();
        if (Difference("one page of everything", expected, total, page.Stored, page.TotalCount, c.Order, rows) is { } whole)
        {
            return whole;
        }

        // A keyset walk: each cursor made from the last row of the page before.
        var pageSize = Math.Max(c.WalkPageSize, (expected.Count + WalkPages - 1) / WalkPages);
        var walked = new List<StoredEvent>();
        EventCursor? after = null;
        for (var pages = 0; pages <= expected.Count + 1; pages++)
        {
            var next = await store.QueryAsync(new EventQuery(criteria, c.Order, pageSize, After: after), CancellationToken.None).Bounded();
            if (next.TotalCount != total)
            {
                return $"  keyset walk (pages of {pageSize}): page {pages + 1} has TotalCount {next.TotalCount}, expected {total}\n";
            }

            walked.AddRange(next.Stored);
            if (next.Stored.Count < pageSize)
            {
                break;
            }

            after = Cursor(next.Stored[^1], c.Order, nudge: 0);
        }

        if (Difference($"keyset walk (pages of {pageSize})", expected, total, walked, total, c.Order, rows) is { } walk)
        {
            return walk;
        }

        // One more page: at an offset, or after the position of any event (matching or not), maybe nudged off it.
        var probe = c.Probe.CursorIndex is { } index
            ? new EventQuery(criteria, c.Order, c.Probe.Limit, After: Cursor(new StoredEvent(rows[index].Event.ToByteArray(), rows[index].Sequence), c.Order, c.Probe.Nudge))
            : new EventQuery(criteria, c.Order, c.Probe.Limit, Offset: c.Probe.Offset);
        var (expectedProbe, _) = ReferenceEvaluator.Query(rows, probe);
        var probed = await store.QueryAsync(probe, CancellationToken.None).Bounded();
        var what = probe.After is { } cursor
            ? $"page of {probe.Limit} after ({string.Join(", ", cursor.Keys)}, {cursor.Id})"
            : $"page of {probe.Limit} at offset {probe.Offset}";
        return Difference(what, expectedProbe, total, probed.Stored, probed.TotalCount, c.Order, rows);
    }

    private static EventCriteria Criteria(QueryCase c, IReadOnlyList<ReferenceRow> rows) =>
        new(c.Where, c.Words, c.AfterIndex switch
        {
            null => null,
            -1 => rows.Min(r => r.Sequence) - 1,
            { } i => rows[i].Sequence,
        });

    /// <summary>The keyset position of a row, as a page token carries it; <paramref name="nudge"/> moves its first value off the row's.</summary>
    private static EventCursor Cursor(StoredEvent stored, EventOrder order, int nudge)
    {
        var e = stored.Decode();
        var keys = order.Keys.Select(k => k.Field.SortValue(stored, e)).ToArray();
        keys[0] = (nudge, keys[0]) switch
        {
            (0, var v) => v,

            // A sequence value with another event's id is a position no event ever had; stores
            // may end the order at the sequence, a unique key, and not look at the id (SQLite does).
            _ when order.Keys[0].Field == EventField.Sequence => keys[0],
            (_, { Text: { } text }) => FilterValue.Of(nudge > 0 ? text + "~" : WithoutLastRune(text)),
            (_, var v) when v.Number is long.MinValue or long.MaxValue => v,
            (_, var v) => FilterValue.Of(v.Number + nudge),
        };
        return new EventCursor(keys, e.Id);
    }

    private static string WithoutLastRune(string text) =>
        text.Length == 0 ? text : text[..^(text.Length > 1 && char.IsLowSurrogate(text[^1]) ? 2 : 1)];

    private static string? Difference(string what, IReadOnlyList<ReferenceRow> expected, long expectedTotal, IReadOnlyList<StoredEvent> actual, long actualTotal, EventOrder order, IReadOnlyList<ReferenceRow> rows)
    {
        var actualIds = actual.Select(s => s.Decode().Id).ToList();
        var expectedIds = expected.Select(r => r.Id).ToList();
        if (actualIds.SequenceEqual(expectedIds) && actualTotal == expectedTotal)
        {
            return null;
        }

        var byId = rows.ToDictionary(r => r.Id);
        var report = new StringBuilder();
        report.Append($"  {what}: expected {expectedIds.Count} events (TotalCount {expectedTotal}), the store returned {actualIds.Count} (TotalCount {actualTotal})\n");
        report.Append($"    expected: {Ids(expectedIds)}\n    actual:   {Ids(actualIds)}\n");
        foreach (var id in expectedIds.Except(actualIds).Take(2))
        {
            report.Append($"    missing:    {EventText.Describe(byId[id].Event)} (sequence {byId[id].Sequence})\n");
        }

        foreach (var id in actualIds.Except(expectedIds).Take(2))
        {
            report.Append(byId.TryGetValue(id, out var row)
                ? $"    unexpected: {EventText.Describe(row.Event)} (sequence {row.Sequence})\n"
                : $"    unexpected: {id}, which is no event of the set\n");
        }

        var at = Enumerable.Range(0, Math.Min(expectedIds.Count, actualIds.Count)).FirstOrDefault(i => expectedIds[i] != actualIds[i], -1);
        if (at >= 0 && byId.TryGetValue(actualIds[at], out var got))
        {
            report.Append($"    first difference at #{at}: expected {expectedIds[at]} {SortValues(byId[expectedIds[at]], order)}, got {got.Id} {SortValues(got, order)}\n");
        }

        return report.ToString();
    }

    private static string Ids(IReadOnlyList<string> ids) =>
        ids.Count == 0 ? "(none)" : string.Join(" ", ids.Take(40).Select(id => id[..8])) + (ids.Count > 40 ? $" … ({ids.Count})" : "");

    private static string SortValues(ReferenceRow row, EventOrder order) =>
        "(" + string.Join(", ", order.Keys.Select(k => ReferenceEvaluator.SortValue(row, k.Field).Text is { } t ? $"\"{t}\"" : ReferenceEvaluator.SortValue(row, k.Field).ToString())) + ")";

    // ---- shrinking and reporting ---------------------------------------------------------------------

    /// <summary>The failing case made smaller: its expression, then its words, after_id position and order keys (and the expression again, all of it).</summary>
    private static async Task<QueryCase> ShrinkAsync(IEventStore store, IReadOnlyList<ReferenceRow> rows, QueryCase failing)
    {
        var where = await FilterShrinker.ShrinkAsync(failing.Where, async w => await ProblemAsync(store, rows, failing with { Where = w }) is not null);
        var current = failing with { Where = where };
        var smaller = true;
        while (smaller)
        {
            smaller = false;
            foreach (var candidate in Simpler(current))
            {
                if (await ProblemAsync(store, rows, candidate) is not null)
                {
                    current = candidate;
                    smaller = true;
                    break;
                }
            }
        }

        return current;
    }

    private static IEnumerable<QueryCase> Simpler(QueryCase c)
    {
        if (c.Where is not AllOf { Terms.Count: 0 })
        {
            yield return c with { Where = new AllOf([]) };
        }

        for (var i = 0; i < c.Words.Count; i++)
        {
            yield return c with { Words = [.. c.Words.Take(i), .. c.Words.Skip(i + 1)] };
        }

        if (c.AfterIndex is not null)
        {
            yield return c with { AfterIndex = null };
        }

        for (var i = 0; i < c.Order.Keys.Count && c.Order.Keys.Count > 1; i++)
        {
            yield return c with { Order = new EventOrder([.. c.Order.Keys.Take(i), .. c.Order.Keys.Skip(i + 1)]) };
        }
    }

    private static string Describe(QueryCase c, IReadOnlyList<ReferenceRow> rows)
    {
        var after = c.AfterIndex switch
        {
            null => "none",
            -1 => $"sequence {rows.Min(r => r.Sequence) - 1} (before every event)",
            { } i => $"sequence {rows[i].Sequence} (of {rows[i].Id})",
        };
        var order = string.Join(", ", c.Order.Keys.Select(k => $"{(k.Field == EventField.Sequence ? "sequence" : k.Field.Name)} {(k.Descending ? "desc" : "asc")}"));
        return $"  where: {FilterText.Print(c.Where)}\n" +
            $"  words: [{string.Join(", ", c.Words)}]\n" +
            $"  after sequence: {after}\n" +
            $"  order: {order}, then id {(c.Order.IdDescending ? "desc" : "asc")}\n";
    }

    // ---- the events -----------------------------------------------------------------------------------

    /// <summary>
    /// Creates the events one by one, then replaces some with new versions and deletes others.
    /// Checks on the way what the spec says of commit positions: they increase in the order events
    /// were created, updates keep them, deletes take them away (FindSequenceAsync finds nothing);
    /// and that the stored documents are the events. Returns the events left, in commit order.
    /// </summary>
    private static async Task<IReadOnlyList<ReferenceRow>> StoreAsync(IEventStore store, IReadOnlyList<Event> events, IReadOnlyList<EventChange?> changes)
    {
        foreach (var e in events)
        {
            await store.CreateAsync(e, null, CancellationToken.None).Bounded();
        }

        var created = await CommitOrderAsync(store, events.Count);
        Assert.Equal(events.Select(e => e.Id), created.Select(r => r.Id));
        Assert.Equal(events, created.Select(r => r.Event));
        Assert.True(created.Zip(created.Skip(1)).All(p => p.First.Sequence < p.Second.Sequence), $"Sequences do not increase in commit order: {string.Join(", ", created.Select(r => r.Sequence))}");

        var left = new List<ReferenceRow>();
        for (var i = 0; i < events.Count; i++)
        {
            if (changes[i] is not { } change)
            {
                left.Add(created[i]);
            }
            else if (change.NewVersion is { } next)
            {
                Assert.True(await store.ReplaceAsync(next, events[i].Etag, CancellationToken.None).Bounded(), $"ReplaceAsync of {next.Id} failed.");
                left.Add(created[i] with { Event = next });
            }
            else
            {
                Assert.Equal(DeleteOutcome.Deleted, await store.DeleteAsync(events[i].Id, events[i].Etag, CancellationToken.None).Bounded());
                Assert.Null(await store.FindSequenceAsync(events[i].Id, CancellationToken.None).Bounded());
            }
        }

        var stored = await CommitOrderAsync(store, events.Count);
        Assert.Equal(left.Select(r => (r.Id, r.Sequence)), stored.Select(r => (r.Id, r.Sequence)));
        Assert.Equal(left.Select(r => r.Event), stored.Select(r => r.Event));
        Assert.Equal(left[^1].Sequence, await store.FindSequenceAsync(left[^1].Id, CancellationToken.None).Bounded());
        return left;
    }

    private static async Task<IReadOnlyList<ReferenceRow>> CommitOrderAsync(IEventStore store, int count)
    {
        var page = await store.QueryAsync(new EventQuery(EventCriteria.All, EventOrder.CommitOrder, Limit: count + 1), CancellationToken.None).Bounded();
        return page.Stored.Select(s => new ReferenceRow(s.Decode(), s.Sequence)).ToArray();
    }
}
