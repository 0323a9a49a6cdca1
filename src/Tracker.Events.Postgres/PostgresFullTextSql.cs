using System.Globalization;
using Npgsql;
using Tracker.Events.Storage;
using Tracker.Events.Storage.Sql;

namespace Tracker.Events.Postgres;

/// <summary>
/// The statements of a full-text query (<see cref="PostgresFullTextSearch"/> chooses among them).
/// Each is written so that its plan does not hang on the planner's guess of how many events hold
/// the words: the walks test the words with strpos on search_words, which no index serves, so they
/// read the order's own index or the filters' as a listing does; the text index is read only by
/// <see cref="Candidates"/> and <see cref="CountByIndex"/>, under <see cref="IndexOnly"/>. Rows with
/// a page return (a, b, document, seq): two numbers, then the page's events in order (one row
/// with a null document when the page is empty).
/// </summary>
internal static class PostgresFullTextSql
{
    /// <summary>Settings under which the only plan left is a bitmap scan: the text index's.</summary>
    public static readonly string[] IndexOnly =
    [
        "SET LOCAL enable_seqscan = off",
        "SET LOCAL enable_indexscan = off",
        "SET LOCAL enable_indexonlyscan = off",
    ];

    /// <summary>The settings back as they were before <see cref="IndexOnly"/>.</summary>
    public static readonly string[] Planner = ["RESET enable_seqscan", "RESET enable_indexscan", "RESET enable_indexonlyscan"];

    /// <summary>Settings under which rows are read through an index: for a count in no order, the one that holds the words.</summary>
    public static readonly string[] NoSeqScan = ["SET LOCAL enable_seqscan = off"];

    /// <summary>The setting back as it was before <see cref="NoSeqScan"/>.</summary>
    public static readonly string[] SeqScan = ["RESET enable_seqscan"];

    /// <summary>Whether the query has conditions besides its words (a filter, a commit position).</summary>
    public static bool Filtered(EventQuery query)
    {
        var s = new Statement(query);
        return s.Filter != s.Dialect.True;
    }

    /// <summary>
    /// The first <paramref name="budget"/> rows of the listing without the words (the filters, the
    /// cursor, the order), and the page among those that hold the words: (rows read, rows holding
    /// the words, page). The page is the query's when fewer rows than the budget were read, or
    /// enough of them hold the words. With more than one of <see cref="DefaultIndexedWords"/>, each row
    /// also ends with how many of the rows read hold each of them, in that order: a sample of
    /// each word's density, from which <see cref="PostgresFullTextWordChoice"/> picks the words
    /// the text index is asked for.
    /// </summary>
    public static NpgsqlBatchCommand Probe(EventQuery query, long budget)
    {
        var s = new Statement(query);
        var sampled = DefaultIndexedWords(query);
        IReadOnlyList<string> perWord = sampled.Count > 1 ? sampled : [];
        var wordTests = string.Concat(perWord.Select((word, i) => $", {s.Words("w.search_words", [word])} AS w{Literal(i)}"));
        var walk = $"""
            SELECT {string.Join(", ", s.KeyNames.Select(k => "w." + k))}, {s.Words("w.search_words")} AS hit{wordTests}
            FROM (SELECT {s.Keys}, search_words FROM events WHERE {s.PageFilter} ORDER BY {s.Order.OrderBy()} LIMIT {Literal(budget)}) AS w
            """;
        var wordTallies = string.Concat(perWord.Select((_, i) => $", count(*) FILTER (WHERE w{Literal(i)}) AS h{Literal(i)}"));
        var wordNumbers = string.Join(", ", perWord.Select((_, i) => $"tally.h{Literal(i)}"));
        return s.Command($"""
            WITH walk AS MATERIALIZED ({walk}),
            tally AS (SELECT count(*) AS seen, count(*) FILTER (WHERE hit) AS hits{wordTallies} FROM walk)
            {s.PageOf("tally.seen, tally.hits", "tally", "walk", "hit", wordNumbers)}
            """);
    }

    /// <summary>
    /// The words the text index is asked for by default: all of them, but a one-character word when a
    /// longer one is there. A word's prefix match costs the text index a bitmap of every row
    /// holding a word it begins ("9" begins hundreds of thousands at 1,000,000 events); the
    /// longer words narrow the rows enough, and the short one is tested on those.
    /// </summary>
    public static IReadOnlyList<string> DefaultIndexedWords(EventQuery query)
    {
        var words = query.Criteria.Words.Where(w => w.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        return words.Any(w => w.Length > 1) ? words.Where(w => w.Length > 1).ToArray() : words;
    }

    /// <summary>
    /// Up to <paramref name="cap"/> rows that hold the words, found through the text index alone,
    /// whatever their order; the other conditions are tested on those rows only (IS TRUE keeps
    /// their indexes out). Returns (rows found, rows that pass the filters too, page among them).
    /// The text index is asked for <paramref name="indexed"/> (by default <see cref="DefaultIndexedWords"/>);
    /// the other words are tested on the rows it finds, with strpos.
    /// </summary>
    public static NpgsqlBatchCommand Candidates(EventQuery query, long cap, IReadOnlyList<string>? indexed = null)
    {
        var s = new Statement(query, indexed);
        var candidates = $"""
            SELECT {s.Keys}, ({s.Filter} AND {s.UnindexedWords}) IS TRUE AS kept, ({s.Cursor}) IS TRUE AS after_cursor
            FROM events WHERE {s.IndexedWords} LIMIT {Literal(cap)}
            """;
        return s.Command($"""
            WITH candidates AS MATERIALIZED ({candidates}),
            tally AS (SELECT count(*) AS found, count(*) FILTER (WHERE kept) AS kept FROM candidates)
            {s.PageOf("tally.found, tally.kept", "tally", "candidates", "kept AND after_cursor")}
            """);
    }

    /// <summary>The page, walking the listing's order and testing the words on each row: (0, 0, page).</summary>
    public static NpgsqlBatchCommand Walk(EventQuery query)
    {
        var s = new Statement(query);
        var walk = $"SELECT {s.Keys} FROM events WHERE {s.PageFilter} AND {s.Words("search_words")}";
        return s.Command($"""
            WITH walk AS ({walk}),
            tally AS (SELECT 0::bigint AS none)
            {s.PageOf("tally.none, tally.none", "tally", "walk", "true")}
            """);
    }

    /// <summary>
    /// How many of the first <paramref name="budget"/> rows the filters match (in no order; every
    /// one when null) hold the words, counting up to <paramref name="limit"/> (all when null): one number.
    /// </summary>
    public static NpgsqlBatchCommand CountByWalk(EventQuery query, long? budget, long? limit)
    {
        var s = new Statement(query);
        return s.Command($"""
            SELECT count(*) FROM (
                SELECT 1 FROM (SELECT search_words FROM ({s.WordsOfFiltered}) AS f{Limit(budget)}) AS r
                WHERE {s.Words("r.search_words")}{Limit(limit)}
            ) AS counted
            """);
    }

    /// <summary>How many rows the filters match without the words, counting up to <paramref name="limit"/>: one number.</summary>
    public static NpgsqlBatchCommand CountFiltered(EventQuery query, long limit)
    {
        var s = new Statement(query);
        return s.Command($"SELECT count(*) FROM (SELECT 1 FROM events WHERE {s.Filter} LIMIT {Literal(limit)}) AS counted");
    }

    /// <summary>
    /// How many rows hold the words and pass the filters, found through the text index, counting
    /// up to <paramref name="limit"/> (every one when null): one number.
    /// </summary>
    public static NpgsqlBatchCommand CountByIndex(EventQuery query, long? limit)
    {
        var s = new Statement(query);
        return s.Command($"SELECT count(*) FROM (SELECT 1 FROM events WHERE {s.IndexedWords} AND ({s.Filter} AND {s.UnindexedWords}) IS TRUE{Limit(limit)}) AS counted");
    }

    /// <summary>The pieces of one statement, its parameters added to its command as they are written.</summary>
    private sealed class Statement
    {
        private readonly NpgsqlBatchCommand _command = new();
        private readonly EventQuery _query;

        public Statement(EventQuery query, IReadOnlyList<string>? indexed = null)
        {
            _query = query;
            Indexed = indexed ?? DefaultIndexedWords(query);
            Dialect = new PostgresSqlDialect(new PostgresQueryParameters(_command.Parameters));
            var conditions = new SqlFilterCompiler(Dialect).Compile(query.Criteria with { Words = [] });
            Filter = conditions.Count == 0 ? Dialect.True : string.Join(" AND ", conditions);
            Order = new SqlOrder(query.Order, Dialect);
            Cursor = query.After is { } after ? Order.After(after) : Dialect.True;
            PageFilter = query.After is null ? Filter : $"{Filter} AND {Cursor}";
            var expressions = Order.Expressions;
            Keys = string.Join(", ", expressions.Select((expression, i) => $"{expression} AS {KeyName(i)}"));
            KeyNames = expressions.Select((_, i) => KeyName(i)).ToArray();
            UniqueColumn = expressions[^1];
        }

        public PostgresSqlDialect Dialect { get; }

        public SqlOrder Order { get; }

        /// <summary>Every condition but the words (the filters, after_id's position).</summary>
        public string Filter { get; }

        /// <summary>The rows after the keyset cursor (true without one).</summary>
        public string Cursor { get; }

        /// <summary><see cref="Filter"/> and <see cref="Cursor"/>.</summary>
        public string PageFilter { get; }

        /// <summary>"expression AS k0, ..., unique column AS kn".</summary>
        public string Keys { get; }

        public IReadOnlyList<string> KeyNames { get; }

        /// <summary>
        /// The search_words of the rows <see cref="Filter"/> matches, in no order, in two parts
        /// that the indexes of migration 8 serve without the heap for a service filter: the rows
        /// whose words events_service_search_words holds, then the rare longer ones.
        /// </summary>
        public string WordsOfFiltered => $"""
            SELECT search_words FROM events WHERE {Filter} AND {PostgresSearchWords.Covered}
            UNION ALL
            SELECT search_words FROM events WHERE {Filter} AND {PostgresSearchWords.NotCovered}
            """;

        public string UniqueColumn { get; }

        /// <summary>The words the text index is asked for (<see cref="DefaultIndexedWords"/> unless the statement was given others).</summary>
        public string IndexedWords => Dialect.FullText(Indexed)!;

        /// <summary>The words left out of <see cref="IndexedWords"/>, tested with strpos ("true" when none).</summary>
        public string UnindexedWords => Words("search_words", _query.Criteria.Words.Where(w => w.Length > 0).Except(Indexed).ToArray());

        private IReadOnlyList<string> Indexed { get; }

        /// <summary>The words tested on <paramref name="searchWords"/> with strpos, which no index serves.</summary>
        public string Words(string searchWords) => Words(searchWords, _query.Criteria.Words);

        /// <summary><paramref name="words"/> tested on <paramref name="searchWords"/> with strpos.</summary>
        public string Words(string searchWords, IReadOnlyList<string> words) => PostgresSearchWords.Starts(searchWords, words, Dialect.Parameters);

        /// <summary>
        /// "SELECT numbers, document, seq": the tally's one row, joined to the page of the rows of
        /// <paramref name="rows"/> where <paramref name="where"/> holds, in order, and their documents.
        /// </summary>
        public string PageOf(string numbers, string tally, string rows, string where, string after = "")
        {
            var limit = Dialect.Parameters.Integer(Math.Max(_query.Limit, 0));
            var offset = Dialect.Parameters.Integer(Math.Max(_query.Offset, 0));
            var byKeys = Order.OrderBy((i, _) => "p." + KeyNames[i]);
            return $"""
                SELECT {numbers}, e.document, e.seq{(after.Length > 0 ? ", " + after : "")}
                FROM {tally}
                LEFT JOIN LATERAL (
                    SELECT {string.Join(", ", KeyNames)} FROM {rows} WHERE {where}
                    ORDER BY {Order.OrderBy((i, _) => KeyNames[i])}
                    LIMIT {limit} OFFSET {offset}
                ) AS p ON true
                LEFT JOIN events AS e ON e.{UniqueColumn} = p.{KeyNames[^1]}
                ORDER BY {byKeys}
                """;
        }

        public NpgsqlBatchCommand Command(string sql)
        {
            _command.CommandText = sql;
            return _command;
        }
    }

    // The bounds are Tracker's own numbers, written into the text so that a prepared statement's
    // generic plan is planned for them too (a LIMIT parameter would be planned as a guess).
    private static string Literal(long bound) => bound.ToString(CultureInfo.InvariantCulture);

    private static string Limit(long? bound) => bound is { } n ? " LIMIT " + Literal(n) : "";

    private static string KeyName(int position) => "k" + position.ToString(CultureInfo.InvariantCulture);
}
