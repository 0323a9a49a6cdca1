using Microsoft.Data.Sqlite;
using Tracker.Events.Storage;
using Tracker.Events.Storage.Sql;

namespace Tracker.Events.Sqlite;

/// <summary>
/// The page and the count of a query with full text (q), in a plan Tracker chooses by what
/// FTS5 finds, never left to SQLite's planner. events_fts is keyed by the event's seq and hands
/// its matches back in seq order (its own order), lazily: its doclists hold rowids only
/// (detail=none) and every word of up to 8 characters has a prefix index (migration 7), so no
/// word of q makes FTS5 gather thousands of terms first. A service the filter requires by
/// equality is part of FTS5's query (each event's service is a token of the index, migration 9),
/// so FTS5 intersects the words with it and counts the matches itself.
/// <list type="bullet">
/// <item>Commit order (after_id polls, order by seq): FTS5 walks its matches in rowid order
/// from the rowid bound (after_id, the page cursor), each event read by seq and filtered, and
/// stops at the page's end: no join then sort.</item>
/// <item>Any other order (the default, newest first): FTS5 counts its matches, up to the sort
/// cap (<see cref="DefaultSortCap"/>) or the count limit + 1. When they fit under the cap, they
/// are the candidates, kept by that same statement (FTS5's query runs once): read by seq,
/// filtered and sorted, at most the cap's rows. Beyond it the
/// word is common (one event in 200 at 1,000,000), and the filters' rows are read in the order
/// instead, <see cref="ChunkRows"/> at a time, each chunk checked against FTS5's matches in its
/// seq range, until the page is full.</item>
/// <item>The count stops at <see cref="EventQuery.CountLimit"/> + 1 matches: FTS5's own count
/// when q and a service are the only criteria, else the candidates; for a common word, when the filters keep
/// at most <see cref="DefaultMembershipRows"/> rows, one statement that reads FTS5's list and tests
/// each match against the filters' seqs (held in a temporary b-tree), else the walk.</item>
/// </list>
/// Measured at 1,000,000 events (bench generate; one store call, page of 50 + count to
/// 10,001; p50/p99 in ms on 2 cores shared with other work, before in brackets): common word
/// 2.0/27 (2,179/3,578), two-letter prefix 1.2/1.6 (3,156/4,927), rare and absent words 0.1/0.1
/// (0.1 to 2.3/12 to 22), "gateway v6.36.9" 9/25 to 217 under load (79/109), after_id polls
/// 0.4 to 8/5 to 29 (38 to 1,356/59 to 1,884). Slowest: a common word with a filter that keeps
/// fewer matches than the count limit, 169 to 218/256 to 574 (3,531 to 4,580/4,248 to 6,408):
/// the count walks the filter's rows and reads the word's list across their seqs.
/// With the service in FTS5's query (migration 9), the same store call on the same file, p50 in
/// ms of 30 calls on a machine loaded far beyond its 2 cores, before in brackets: "rollback" and
/// service "inventory" 9.5 (119), "checkout" 3.9 (316), "admin" (4,111 matches, sorted) 23 (70);
/// "ca" and "inventory" 6.6 (114), "admin" 16 (95); "gateway v6.36.9" 1.2 (5.9), with its
/// service 2.8 (7.8); "checkout v1.11.1" (642 matches) 12 (19). With seq in the created_at
/// index too (the walk reads that index alone): "rollback" and "inventory" 6.5, "ca" and
/// "admin" (7,106 matches, walked) 11.
/// </summary>
internal static class SqliteFullTextPlan
{
    /// <summary>The most FTS5 matches sorted as candidates by default; more, and the order's index is walked.</summary>
    public const int DefaultSortCap = 5000;

    /// <summary>The rows of the order's index read at a time when the matches exceed the sort cap (<see cref="DefaultSortCap"/>).</summary>
    public const int ChunkRows = 1000;

    /// <summary>
    /// The most rows a filter may keep for a common word's count to test FTS5's matches against
    /// the filter's seqs in one statement (the seqs held in a temporary b-tree) rather than walk.
    /// </summary>
    public const int DefaultMembershipRows = 50_000;

    /// <summary>Whether <paramref name="query"/> searches full text (q has a word).</summary>
    public static bool Applies(EventQuery query) => SqliteSqlDialect.FullTextQuery(query.Criteria.Words) is not null;

    /// <summary>Runs the page and the count of a full-text query in <paramref name="transaction"/> (one snapshot).</summary>
    public static async Task<EventPage> RunAsync(SqliteConnection connection, SqliteTransaction transaction, EventQuery query, int sortCap, int membershipRows, CancellationToken cancellationToken)
    {
        // A service the filter requires is a token of the index (SqliteSearchText): FTS5
        // intersects it with the words, and the filter keeps only the rest.
        var (services, others) = SqliteSearchText.SplitServices(query.Criteria.Where);
        var match = SqliteSearchText.Match(query.Criteria.Words, services)!;
        query = query with { Criteria = query.Criteria with { Where = others } };
        if (query.Order.Keys[0].Field == EventField.Sequence)
        {
            return await InFtsOrderAsync(connection, transaction, query, match, cancellationToken).ConfigureAwait(false);
        }

        var countTo = Math.Max(sortCap, query.CountLimit ?? long.MaxValue - 1) + 1;
        var (matches, candidates) = await FtsCountAsync(connection, transaction, match, query.Criteria.AfterSequence, countTo, sortCap, cancellationToken).ConfigureAwait(false);
        return candidates is not null
            ? await SortedAsync(connection, transaction, query, candidates, matches, cancellationToken).ConfigureAwait(false)
            : await WalkedAsync(connection, transaction, query, match, matches, membershipRows, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Commit order: FTS5's rowid order, bounded below by after_id and by the cursor.</summary>
    private static async Task<EventPage> InFtsOrderAsync(SqliteConnection connection, SqliteTransaction transaction, EventQuery query, string match, CancellationToken cancellationToken)
    {
        var descending = query.Order.Keys[0].Descending;
        var direction = descending ? "DESC" : "ASC";
        var cursorSeq = query.After is { } after ? after.Keys[0].Number : (long?)null;

        var page = new Statement(query);
        var bounds = page.Bounds(match, query.Criteria.AfterSequence, descending ? null : cursorSeq, descending ? cursorSeq : null);
        page.Sql = $"SELECT events.doc, events.seq FROM {Matched(bounds, direction)}{Where(page.Filters)} ORDER BY matched.fts_seq {direction} LIMIT {page.Parameters.Add(query.Limit)} OFFSET {page.Parameters.Add(query.Offset)}";
        var stored = await page.ReadAsync(connection, transaction, cancellationToken).ConfigureAwait(false);

        var count = new Statement(query);
        var countBounds = count.Bounds(match, query.Criteria.AfterSequence, null, null);
        return await CountAsync(connection, transaction, count, $"SELECT 1 FROM {Matched(countBounds, direction)}{Where(count.Filters)}", stored, query, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// At most the sort cap (<see cref="DefaultSortCap"/>) matches: read by seq, filtered, sorted.
    /// <paramref name="candidates"/> are FTS5's matches (a JSON array of seqs) as its count read
    /// them: FTS5's query is not run again (for several prefixes of short words, as a version's,
    /// running it is most of the work).
    /// </summary>
    private static async Task<EventPage> SortedAsync(SqliteConnection connection, SqliteTransaction transaction, EventQuery query, string candidates, long matches, CancellationToken cancellationToken)
    {
        var page = new Statement(query);
        var order = new SqlOrder(query.Order, page.Dialect);
        var conditions = new List<string>(page.Filters);
        if (query.After is { } after)
        {
            conditions.Add(order.After(after));
        }

        var orderBy = "ORDER BY " + order.OrderBy();
        page.Sql = $"SELECT doc, seq FROM events WHERE rowid IN (SELECT events.rowid FROM {Candidates(page.Parameters.Add(candidates))}{Where(conditions)} {orderBy} LIMIT {page.Parameters.Add(query.Limit)} OFFSET {page.Parameters.Add(query.Offset)}) {orderBy}";
        var stored = await page.ReadAsync(connection, transaction, cancellationToken).ConfigureAwait(false);

        var count = new Statement(query);
        if (count.Filters.Count == 0)
        {
            return SqlCount.Page(stored, matches, query.CountLimit);
        }

        return await CountAsync(connection, transaction, count, $"SELECT 1 FROM {Candidates(count.Parameters.Add(candidates))}{Where(count.Filters)}", stored, query, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// More than the sort cap (<see cref="DefaultSortCap"/>) matches: the filters' rows are read in the query's order
    /// (one statement, read as far as needed), <see cref="ChunkRows"/> at a time, and each chunk's
    /// rows are kept when FTS5 lists their seq among its matches between the chunk's least and
    /// greatest seq (one lazy range read of its doclists, not a probe per row: a probe starts
    /// FTS5's query afresh). Newest first, seqs follow creation, so that range is about the
    /// chunk's own rows. The walk stops when the page is full and the count has reached the count
    /// limit + 1, or at the end.
    /// </summary>
    private static async Task<EventPage> WalkedAsync(SqliteConnection connection, SqliteTransaction transaction, EventQuery query, string match, long matches, int membershipRows, CancellationToken cancellationToken)
    {
        var countFilters = new Statement(query).Filters.Count > 0;
        var countTo = !countFilters ? 0 : query.CountLimit is { } limit ? limit + 1 : long.MaxValue;
        if (countFilters && await FilterRowsAsync(connection, transaction, query, membershipRows + 1L, cancellationToken).ConfigureAwait(false) <= membershipRows)
        {
            // A selective filter: walking it newest first reads FTS5's list across the seqs of
            // all its rows, a chunk at a time, through the reader. Counting inside SQLite, FTS5's
            // list tested against the filter's seqs, reads that list once and returns one number.
            var (page, _) = await WalkAsync(connection, transaction, query, match, query.After, query.Offset, query.Limit, 0, cancellationToken).ConfigureAwait(false);
            var pageStored = await DocumentsAsync(connection, transaction, page, cancellationToken).ConfigureAwait(false);
            var count = new Statement(query);
            var bounds = count.Bounds(match, query.Criteria.AfterSequence, null, null);
            return await CountAsync(connection, transaction, count, $"SELECT 1 FROM events_fts WHERE {bounds} AND +rowid IN (SELECT seq FROM events{Where(count.Filters)})", pageStored, query, cancellationToken).ConfigureAwait(false);
        }

        // The count is of the criteria, not of what follows the cursor: past a cursor, a walk of its own.
        var (found, hits) = await WalkAsync(connection, transaction, query, match, query.After, query.Offset, query.Limit, query.After is null ? countTo : 0, cancellationToken).ConfigureAwait(false);
        if (query.After is not null && countFilters)
        {
            (_, hits) = await WalkAsync(connection, transaction, query, match, null, 0, 0, countTo, cancellationToken).ConfigureAwait(false);
        }

        var stored = await DocumentsAsync(connection, transaction, found, cancellationToken).ConfigureAwait(false);
        return SqlCount.Page(stored, countFilters ? hits : matches, query.CountLimit);
    }

    /// <summary>The seqs of the page (<paramref name="offset"/>, <paramref name="limit"/>) after <paramref name="after"/>, and the matches walked, at least <paramref name="countTo"/> when there are as many.</summary>
    private static async Task<(List<long> Found, long Hits)> WalkAsync(
        SqliteConnection connection, SqliteTransaction transaction, EventQuery query, string match, EventCursor? after, int offset, int limit, long countTo, CancellationToken cancellationToken)
    {
        var walk = new Statement(query);
        var wanted = (long)offset + limit;
        var found = new List<long>(limit);
        var hits = 0L;
        var order = new SqlOrder(query.Order, walk.Dialect);
        var conditions = new List<string>(walk.Filters);
        if (after is not null)
        {
            conditions.Add(order.After(after));
        }

        walk.Sql = $"SELECT seq FROM events{Where(conditions)} ORDER BY {order.OrderBy()}";
        var command = walk.Command(connection, transaction);
        await using var commandDisposal = command.ConfigureAwait(false);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var chunk = new List<long>(ChunkRows);
            var more = true;
            while (more && hits < Math.Max(wanted, countTo))
            {
                chunk.Clear();
                while (chunk.Count < ChunkRows && (more = await reader.ReadAsync(cancellationToken).ConfigureAwait(false)))
                {
                    chunk.Add(reader.GetInt64(0));
                }

                if (chunk.Count == 0)
                {
                    break;
                }

                var inText = await FtsRangeAsync(connection, transaction, match, query.Criteria.AfterSequence, chunk.Min(), chunk.Max(), cancellationToken).ConfigureAwait(false);
                foreach (var seq in chunk.Where(inText.Contains))
                {
                    if (hits >= offset && found.Count < limit)
                    {
                        found.Add(seq);
                    }

                    hits++;
                }
            }
        }

        return (found, hits);
    }

    /// <summary>The rows that hold the query's filters (not q, not after_id), counted up to <paramref name="countTo"/>.</summary>
    private static async Task<long> FilterRowsAsync(SqliteConnection connection, SqliteTransaction transaction, EventQuery query, long countTo, CancellationToken cancellationToken)
    {
        var rows = new Statement(query);
        rows.Sql = $"SELECT count(*) FROM (SELECT 1 FROM events{Where(rows.Filters)} LIMIT {rows.Parameters.Add(countTo)})";
        return await rows.ScalarAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>FTS5's matches with a rowid from <paramref name="from"/> to <paramref name="to"/> (and after <paramref name="afterSequence"/>).</summary>
    private static async Task<HashSet<long>> FtsRangeAsync(
        SqliteConnection connection, SqliteTransaction transaction, string match, long? afterSequence, long from, long to, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using var commandDisposal = command.ConfigureAwait(false);
        command.Transaction = transaction;
        command.CommandText = "SELECT rowid FROM events_fts WHERE events_fts MATCH $match AND rowid >= $from AND rowid <= $to";
        command.Parameters.AddWithValue("$match", match);
        command.Parameters.AddWithValue("$from", Math.Max(from, afterSequence + 1 ?? long.MinValue));
        command.Parameters.AddWithValue("$to", to);
        var seqs = new HashSet<long>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                seqs.Add(reader.GetInt64(0));
            }
        }

        return seqs;
    }

    /// <summary>The documents of <paramref name="seqs"/>, in that order.</summary>
    private static async Task<IReadOnlyList<StoredEvent>> DocumentsAsync(SqliteConnection connection, SqliteTransaction transaction, List<long> seqs, CancellationToken cancellationToken)
    {
        if (seqs.Count == 0)
        {
            return [];
        }

        var command = connection.CreateCommand();
        await using var commandDisposal = command.ConfigureAwait(false);
        command.Transaction = transaction;
        command.CommandText = "SELECT doc, seq FROM events WHERE seq IN (SELECT value FROM json_each($seqs))";
        command.Parameters.AddWithValue("$seqs", "[" + string.Join(",", seqs.Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]");
        var bySeq = new Dictionary<long, StoredEvent>(seqs.Count);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var seq = reader.GetInt64(1);
                bySeq[seq] = new StoredEvent(reader.GetFieldValue<byte[]>(0), seq);
            }
        }

        return [.. seqs.Where(bySeq.ContainsKey).Select(s => bySeq[s])];
    }

    /// <summary>
    /// FTS5's matches (after <paramref name="afterSequence"/>), counted up to <paramref name="countTo"/>,
    /// and, when there are at most <paramref name="sortCap"/>, their seqs (a JSON array), read by the same run of FTS5's query.
    /// </summary>
    private static async Task<(long Matches, string? Candidates)> FtsCountAsync(
        SqliteConnection connection, SqliteTransaction transaction, string match, long? afterSequence, long countTo, int sortCap, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using var commandDisposal = command.ConfigureAwait(false);
        command.Transaction = transaction;
        var after = afterSequence is null ? string.Empty : " AND rowid > $after";
        command.CommandText = $"SELECT count(*), json_group_array(rowid) FROM (SELECT rowid FROM events_fts WHERE events_fts MATCH $match{after} LIMIT $limit)";
        command.Parameters.AddWithValue("$match", match);
        command.Parameters.AddWithValue("$limit", countTo);
        if (afterSequence is { } position)
        {
            command.Parameters.AddWithValue("$after", position);
        }

        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var matches = reader.GetInt64(0);
            return (matches, matches <= sortCap ? reader.GetString(1) : null);
        }
    }

    /// <summary>The count of <paramref name="rows"/> (a SELECT of the matching rows), up to the count limit + 1.</summary>
    private static async Task<EventPage> CountAsync(
        SqliteConnection connection, SqliteTransaction transaction, Statement count, string rows, IReadOnlyList<StoredEvent> stored, EventQuery query, CancellationToken cancellationToken)
    {
        count.Sql = query.CountLimit is { } limit
            ? $"SELECT count(*) FROM ({rows} LIMIT {count.Parameters.Add(limit + 1)})"
            : $"SELECT count(*) FROM ({rows})";
        var total = await count.ScalarAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        return SqlCount.Page(stored, total, query.CountLimit);
    }

    /// <summary>The seqs of <paramref name="candidates"/> (a parameter holding a JSON array) joined to their events, the seqs the outer loop.</summary>
    private static string Candidates(string candidates) =>
        $"(SELECT value AS fts_seq FROM json_each({candidates})) AS matched CROSS JOIN events ON events.seq = matched.fts_seq";

    /// <summary>FTS5's matches joined to their events by seq, FTS5 the outer loop (CROSS JOIN keeps it there).</summary>
    private static string Matched(string bounds, string? direction) =>
        $"(SELECT rowid AS fts_seq FROM events_fts WHERE {bounds}{(direction is null ? string.Empty : " ORDER BY rowid " + direction)}) AS matched CROSS JOIN events ON events.seq = matched.fts_seq";

    private static string Where(IReadOnlyList<string> conditions) =>
        conditions.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", conditions);

    /// <summary>One statement: its parameters, and the criteria but q and after_id as conditions on the events table.</summary>
    private sealed class Statement
    {
        public Statement(EventQuery query)
        {
            Parameters = new SqliteQueryParameters();
            Dialect = new SqliteSqlDialect(Parameters);
            Filters = new SqlFilterCompiler(Dialect).Compile(query.Criteria with { Words = [], AfterSequence = null });
        }

        public SqliteQueryParameters Parameters { get; }

        public SqliteSqlDialect Dialect { get; }

        public IReadOnlyList<string> Filters { get; }

        public string Sql { get; set; } = string.Empty;

        /// <summary>The FTS5 condition with its rowid bounds: after <paramref name="after"/> and <paramref name="lowerCursor"/>, before <paramref name="upperCursor"/>.</summary>
        public string Bounds(string match, long? after, long? lowerCursor, long? upperCursor)
        {
            var bounds = $"events_fts MATCH {Parameters.Add(match)}";
            if (after is not null || lowerCursor is not null)
            {
                var lower = Math.Max(after ?? long.MinValue, lowerCursor ?? long.MinValue);
                bounds += $" AND rowid > {Parameters.Add(lower)}";
            }

            if (upperCursor is { } upper)
            {
                bounds += $" AND rowid < {Parameters.Add(upper)}";
            }

            return bounds;
        }

        public async Task<IReadOnlyList<StoredEvent>> ReadAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
        {
            var command = Command(connection, transaction);
            await using var commandDisposal = command.ConfigureAwait(false);
            var events = new List<StoredEvent>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    events.Add(new StoredEvent(reader.GetFieldValue<byte[]>(0), reader.GetInt64(1)));
                }
            }

            return events;
        }

        public async Task<long> ScalarAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
        {
            var command = Command(connection, transaction);
            await using var commandDisposal = command.ConfigureAwait(false);
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L);
        }

        public SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = Sql;
            Parameters.AddTo(command);
            return command;
        }
    }
}
