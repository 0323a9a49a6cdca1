using System.Data;
using Npgsql;
using Tracker.Events.Storage;

namespace Tracker.Events.Postgres;

/// <summary>
/// A query with words (q), answered by a plan Tracker chooses, never the planner: PostgreSQL's
/// planner, asked for the newest page of a text search, may walk the date index and test every row
/// when it guesses the words are common, which takes seconds for a rare or absent word. Each step
/// below reads a bounded number of rows, and the next is taken only when the last could not answer:
/// <list type="number">
/// <item>the probe: the first rows of the listing without the words (<see cref="PostgresFullTextLimits.ProbeRows"/>), tested
/// for the words. Words common among recent events fill the page here.</item>
/// <item>the candidates: up to <see cref="PostgresFullTextLimits.CandidateCap"/> rows holding the words, from the text index,
/// sorted in the listing's order. Rare and absent words end here, with their exact count. Of
/// several words, the index is asked for the rarest in the probe's rows (<see cref="PostgresFullTextWordChoice"/>),
/// and the others are tested on the rows it finds; all of them when those were too many.</item>
/// <item>the walk: more words than the cap hold, so they are dense enough for the listing's order,
/// tested row by row, to fill a page soon.</item>
/// </list>
/// The count is exact up to the query's count limit (after Elasticsearch's track_total_hits): from
/// the probe when it read every row, from the candidates when they were all found, else by testing
/// rows in any order up to the limit, and through the text index when that does not settle it (an
/// exact count with no limit: by testing every row for dense words, through the text index for sparse ones).
/// Every step runs in one repeatable-read transaction, so the page and the count see one snapshot.
/// </summary>
internal static class PostgresFullTextSearch
{
    public static bool Applies(EventQuery query) => query.Criteria.Words.Any(w => w.Length > 0);

    public static Task<EventPage> QueryAsync(NpgsqlConnection connection, EventQuery query, CancellationToken cancellationToken) =>
        QueryAsync(connection, query, PostgresFullTextLimits.Default, cancellationToken);

    /// <summary>As <see cref="QueryAsync(NpgsqlConnection, EventQuery, CancellationToken)"/>, with the steps' bounds given (tests take each step with small ones).</summary>
    public static async Task<EventPage> QueryAsync(NpgsqlConnection connection, EventQuery query, PostgresFullTextLimits limits, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        await using var transactionDisposal = transaction.ConfigureAwait(false);
        var countLimit = query.CountLimit;
        var needed = (long)Math.Max(query.Offset, 0) + Math.Max(query.Limit, 0);
        var budget = limits.ProbeRows(needed);

        var probe = await ReadPageAsync(connection, [PostgresFullTextSql.Probe(query, budget)], cancellationToken).ConfigureAwait(false);
        var readEverything = probe.First < budget;
        IReadOnlyList<StoredEvent>? page = readEverything || probe.Second >= needed ? probe.Events : null;
        Count? count = readEverything && query.After is null ? Count.Of(probe.Second, countLimit) : null;
        var dense = probe.Second * limits.DenseRowsPerHit >= probe.First;

        if (page is null || (count is null && !dense))
        {
            var cap = Math.Max(limits.CandidateCap, (countLimit ?? 0) + 1);
            var indexed = PostgresFullTextSql.DefaultIndexedWords(query);
            var rarest = PostgresFullTextWordChoice.Choose(indexed, probe.WordHits, probe.First);
            var candidates = await CandidatesAsync(connection, query, cap, rarest, cancellationToken).ConfigureAwait(false);
            if (candidates.First > cap && rarest.Count < indexed.Count)
            {
                // The rarest words were not rare enough together (the probe's rows were no
                // sample of the older ones): all the words narrow the rows the most.
                candidates = await CandidatesAsync(connection, query, cap, indexed, cancellationToken).ConfigureAwait(false);
            }

            var allFound = candidates.First <= cap;
            if (allFound)
            {
                page ??= candidates.Events;
                count ??= Count.Of(candidates.Second, countLimit);
            }
            else if (countLimit is { } limit && candidates.Second > limit)
            {
                count ??= Count.Of(candidates.Second, countLimit);
            }
        }

        page ??= (await ReadPageAsync(connection, [PostgresFullTextSql.Walk(query)], cancellationToken).ConfigureAwait(false)).Events;
        count ??= await CountAsync(connection, query, limits, dense, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new EventPage(page, count.Value.Total, count.Value.Exact);
    }

    /// <summary>Up to <paramref name="cap"/> + 1 candidates, the text index asked for <paramref name="indexed"/>.</summary>
    private static Task<PageRows> CandidatesAsync(NpgsqlConnection connection, EventQuery query, long cap, IReadOnlyList<string> indexed, CancellationToken cancellationToken) =>
        ReadPageAsync(
            connection,
            [.. Settings(PostgresFullTextSql.IndexOnly), PostgresFullTextSql.Candidates(query, cap + 1, indexed), .. Settings(PostgresFullTextSql.Planner)],
            cancellationToken);

    /// <summary>The count when neither the probe nor the candidates settled it.</summary>
    private static async Task<Count> CountAsync(NpgsqlConnection connection, EventQuery query, PostgresFullTextLimits limits, bool dense, CancellationToken cancellationToken)
    {
        if (query.CountLimit is not { } limit)
        {
            // Asked for exactly: dense words by testing every row the filters match (the text
            // index's bitmap of most of the table turns lossy, and each row of a lossy page is
            // tested with a tsvector built for it: 9 s against 1.4 s for 480,000 of 1,000,000),
            // sparse words through the text index.
            return Count.Of(
                dense
                    ? await ReadNumberAsync(connection, [PostgresFullTextSql.CountByWalk(query, null, null)], cancellationToken).ConfigureAwait(false)
                    : await ReadNumberAsync(connection, [.. Settings(PostgresFullTextSql.IndexOnly), PostgresFullTextSql.CountByIndex(query, null), .. Settings(PostgresFullTextSql.Planner)], cancellationToken).ConfigureAwait(false),
                null);
        }

        // Dense words: test rows in any order until limit + 1 hold them, or the budget is spent.
        var budget = limits.CountRowsPerResult * (limit + 1);
        // With no filter, any rows will do: those of the index that holds the words, read index
        // only (21,000 rows: 3,000 buffers, all in shared buffers), rather than the planner's
        // sequential scan of the table (3,700 pages of wide rows, most from outside shared
        // buffers): 20 ms against 60 at 1,000,000 events. A filter keeps the planner's choice.
        var byWalk = PostgresFullTextSql.CountByWalk(query, budget, limit + 1);
        var counted = PostgresFullTextSql.Filtered(query)
            ? await ReadNumberAsync(connection, [byWalk], cancellationToken).ConfigureAwait(false)
            : await ReadNumberAsync(connection, [.. Settings(PostgresFullTextSql.NoSeqScan), byWalk, .. Settings(PostgresFullTextSql.SeqScan)], cancellationToken).ConfigureAwait(false);
        if (counted > limit || await ReadNumberAsync(connection, [PostgresFullTextSql.CountFiltered(query, budget + 1)], cancellationToken).ConfigureAwait(false) <= budget)
        {
            return Count.Of(counted, limit);
        }

        return Count.Of(await ReadNumberAsync(connection, [.. Settings(PostgresFullTextSql.IndexOnly), PostgresFullTextSql.CountByIndex(query, limit + 1), .. Settings(PostgresFullTextSql.Planner)], cancellationToken).ConfigureAwait(false), limit);
    }

    private static IEnumerable<NpgsqlBatchCommand> Settings(IEnumerable<string> statements) => statements.Select(s => new NpgsqlBatchCommand(s));

    private static async Task<long> ReadNumberAsync(NpgsqlConnection connection, IReadOnlyList<NpgsqlBatchCommand> commands, CancellationToken cancellationToken)
    {
        var batch = Batch(connection, commands);
        await using var batchDisposal = batch.ConfigureAwait(false);
        var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerDisposal = reader.ConfigureAwait(false);
        long value = 0;
        do
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                value = reader.GetInt64(0);
            }
        }
        while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));

        return value;
    }

    /// <summary>Runs a statement that returns (a, b, document, seq, numbers...) rows, and any settings around it.</summary>
    private static async Task<PageRows> ReadPageAsync(NpgsqlConnection connection, IReadOnlyList<NpgsqlBatchCommand> commands, CancellationToken cancellationToken)
    {
        var batch = Batch(connection, commands);
        await using var batchDisposal = batch.ConfigureAwait(false);
        var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerDisposal = reader.ConfigureAwait(false);
        var events = new List<StoredEvent>();
        long first = 0, second = 0;
        var numbers = new List<long>();
        do
        {
            if (reader.FieldCount < 4)
            {
                continue;
            }

            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                first = reader.GetInt64(0);
                second = reader.GetInt64(1);
                numbers.Clear();
                for (var i = 4; i < reader.FieldCount; i++)
                {
                    numbers.Add(reader.GetInt64(i));
                }

                if (!await reader.IsDBNullAsync(2, cancellationToken).ConfigureAwait(false))
                {
                    // A row that a replica still on migration 2 wrote has no seq yet (see PostgresEventStore).
                    var sequence = await reader.IsDBNullAsync(3, cancellationToken).ConfigureAwait(false) ? 0 : reader.GetInt64(3);
                    events.Add(new StoredEvent(reader.GetFieldValue<byte[]>(2), sequence));
                }
            }
        }
        while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));

        return new PageRows(first, second, events, numbers);
    }

    private static NpgsqlBatch Batch(NpgsqlConnection connection, IReadOnlyList<NpgsqlBatchCommand> commands)
    {
        var batch = new NpgsqlBatch(connection);
        foreach (var command in commands)
        {
            batch.BatchCommands.Add(command);
        }

        return batch;
    }

    /// <summary>A statement's two numbers, its page, and the numbers after each row's seq (the probe's hits per word).</summary>
    private sealed record PageRows(long First, long Second, IReadOnlyList<StoredEvent> Events, IReadOnlyList<long> WordHits);

    /// <summary>A total, exact or a lower bound (the count limit, when more match).</summary>
    private readonly record struct Count(long Total, bool Exact)
    {
        public static Count Of(long counted, long? limit) =>
            limit is { } n && counted > n ? new Count(n, false) : new Count(counted, true);
    }
}

/// <summary>The bounds of the steps of <see cref="PostgresFullTextSearch"/>.</summary>
/// <param name="MinProbeRows">The fewest rows the probe reads.</param>
/// <param name="ProbeRowsPerResult">Rows the probe reads per result the page needs (offset + limit), when more than <paramref name="MinProbeRows"/>.</param>
/// <param name="CandidateCap">The most candidates read from the text index (the count limit + 1 when larger).</param>
/// <param name="CountRowsPerResult">Rows the count tests per result it may count before it asks the text index instead.</param>
/// <param name="DenseRowsPerHit">Probe rows per hit at or under which the words are dense, and are counted by testing rows.</param>
internal sealed record PostgresFullTextLimits(long MinProbeRows, int ProbeRowsPerResult, long CandidateCap, int CountRowsPerResult, int DenseRowsPerHit)
{
    /// <summary>A page of 50 reads 1,000 rows at most in the probe; a candidate list of 10,000 rows sorts in memory.</summary>
    public static PostgresFullTextLimits Default { get; } = new(MinProbeRows: 1000, ProbeRowsPerResult: 20, CandidateCap: 10_000, CountRowsPerResult: 8, DenseRowsPerHit: 8);

    /// <summary>How many rows the probe reads for a page that needs <paramref name="needed"/> results (offset + limit).</summary>
    public long ProbeRows(long needed) => Math.Max(MinProbeRows, ProbeRowsPerResult * needed);
}
