using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Npgsql;
using Tracker.Api.V1Alpha1;
using Microsoft.Extensions.Logging.Abstractions;
using Tracker.Events.Hosting;
using Tracker.Events.Postgres;
using Tracker.Events.Sqlite;
using Tracker.Events.Storage;

namespace Tracker.Bench.Driver;

/// <summary>
/// Scenario d: SearchEvents (service + type + a one-week range, page of 50) and GetEvent over
/// gRPC, each against the same requests run as SQL directly on the store: the statements the
/// store itself builds (<see cref="StoreInternals"/>), on open connections, rows read but not
/// decoded (or, with --sql-path store or when the store's builder has changed shape, the store
/// class in this process). Before timing, the first pages are compared: Tracker must return
/// exactly the events and total the SQL returns. Latency is per call, closed loop, after a warm-up.
/// Scenario h measures ListEvents with the query language the same way (<see cref="QueryLanguage"/>).
/// </summary>
internal static class ReadLatency
{
    private const int PageSize = 50;
    private const int CheckedQueries = 20;

    public static async Task<JsonObject> RunAsync(Options options)
    {
        var kind = options.Get("kind");
        var store = StoreTarget.Parse(options.Get("store"));
        var grpcUrl = new Uri(options.Get("grpc"));
        var warmup = options.Seconds("warmup", 3);
        var duration = options.Seconds("duration", 15);
        var concurrency = options.Int("concurrency", 1);
        var pid = options.Find("pid") is { } p ? int.Parse(p, CultureInfo.InvariantCulture) : (int?)null;

        using var client = new GrpcClient(grpcUrl);
        await using var direct = DirectSql.Open(store);
        await using var storeClass = StoreClass.Open(store);

        // The SQL side: the statements the store builds, run here ("statements"), or, when the
        // store no longer builds them in one known shape (a plan chosen at run time, say), the
        // store class in this process ("store class"). --sql-path picks; auto takes statements
        // whenever the store's builder is there, except for full text (q): both stores answer it
        // with steps chosen at run time (SqliteFullTextPlan, PostgresFullTextSearch), so the
        // store class is its SQL side.
        var sqlPath = options.Find("sql-path") ?? "auto";
        var statements = sqlPath switch
        {
            "auto" => (direct.CanBuildQueries && !kind.StartsWith("fulltext", StringComparison.Ordinal)) || kind == "get",
            "statements" => direct.CanBuildQueries || kind == "get" ? true : throw new InvalidOperationException("--sql-path statements: the store's query builder is not where StoreInternals looks for it"),
            "store" => false,
            _ => throw new ArgumentException($"--sql-path is auto, statements or store, not '{sqlPath}'"),
        };
        Func<int, Func<Task>> grpcCall;
        Func<int, Func<Task>> sqlCall;
        Func<int, Func<Task>> storeCall;
        JsonObject? asked = null;
        if (kind == "search")
        {
            var queries = SearchQueries(seed: 7, count: 50_000);
            for (var i = 0; i < CheckedQueries; i++)
            {
                var viaGrpc = await client.CallAsync("/tracker.event.v1alpha1.EventService/SearchEvents", queries[i].Request, SearchEventsResponse.Parser);
                var (total, ids) = statements ? await direct.SearchIdsAsync(queries[i].Query) : await StoreIdsAsync(storeClass.Store, queries[i].Query);
                if (viaGrpc.TotalCount != total || !viaGrpc.Events.Select(e => e.Id).SequenceEqual(ids))
                {
                    throw new InvalidOperationException($"SearchEvents {queries[i].Request} returned {viaGrpc.TotalCount} / {viaGrpc.Events.Count} events, the SQL {total} / {ids.Count}");
                }
            }

            grpcCall = worker => Cycle(queries, worker, concurrency, q => client.CallRawAsync("/tracker.event.v1alpha1.EventService/SearchEvents", q.Request));
            storeCall = worker => Cycle(queries, worker, concurrency, q => storeClass.Store.QueryAsync(q.Query, CancellationToken.None));
            sqlCall = statements ? worker => Cycle(queries, worker, concurrency, q => direct.SearchAsync(q.Query)) : storeCall;
        }
        else if (QueryLanguage.IsKind(kind))
        {
            var cases = await QueryLanguage.CasesAsync(kind, direct, storeClass.Store, seed: 11, count: 50_000);
            // Distinct requests only: a kind of one word asks the same thing every time, and checking
            // it once is enough (counting every match of a common word takes seconds at 1,000,000).
            asked = await QueryLanguage.CheckAsync(kind, cases.DistinctBy(c => c.ToString()).Take(CheckedQueries), client, statements ? direct : null, storeClass.Store);
            grpcCall = worker => Cycle(cases, worker, concurrency, c => client.CallRawAsync(QueryLanguage.ListEvents, c.Request));
            storeCall = worker => Cycle(cases, worker, concurrency, c => QueryLanguage.StoreAsync(storeClass.Store, c));
            sqlCall = statements ? worker => Cycle(cases, worker, concurrency, c => QueryLanguage.DirectAsync(direct, c)) : storeCall;
        }
        else if (kind == "get")
        {
            var ids = await direct.SampleIdsAsync(5000);
            foreach (var id in ids.Take(CheckedQueries))
            {
                var e = await client.CallAsync("/tracker.event.v1alpha1.EventService/GetEvent", new GetEventRequest { Id = id }, Event.Parser);
                if (e.Id != id)
                {
                    throw new InvalidOperationException($"GetEvent {id} returned {e.Id}");
                }
            }

            grpcCall = worker => Cycle(ids, worker, concurrency, id => client.CallRawAsync("/tracker.event.v1alpha1.EventService/GetEvent", new GetEventRequest { Id = id }));
            sqlCall = worker => Cycle(ids, worker, concurrency, direct.GetAsync);
            storeCall = worker => Cycle(ids, worker, concurrency, id => storeClass.Store.GetAsync(id, CancellationToken.None));
        }
        else
        {
            throw new ArgumentException($"--kind is search, get or one of scenario h's ({string.Join(", ", QueryLanguage.Kinds)}), not '{kind}'");
        }

        await using var rss = RssSampler.Start(pid);
        var (tracker, sql) = await MeasurePairedAsync(grpcCall, sqlCall, concurrency, warmup, duration);
        var rssFigures = rss is null ? null : await rss.StopAsync();

        // A third path, to split Tracker's share: the store class in this process (connection
        // from its pool, the same SQL, pages as stored), paired with the SQL again; when the SQL
        // side is the store class already, it is that measurement.
        var (inProcess, sqlAgain) = statements
            ? await MeasurePairedAsync(storeCall, sqlCall, concurrency, Math.Min(warmup, 5), Math.Min(duration, 10))
            : (sql, sql);
        var inProcessSeconds = statements ? Math.Min(duration, 10) : duration;
        var result = new JsonObject
        {
            ["tool"] = "driver",
            ["kind"] = kind,
            ["store"] = store.Kind,
            ["concurrency"] = concurrency,
            ["warmup_s"] = warmup,
            ["duration_s"] = duration,
            ["checked_equal_to_sql"] = asked?["checked"]?.GetValue<int>() ?? CheckedQueries,
            ["checked_against"] = asked?["compared_with"]?.ToString() ?? (statements ? "the SQL's" : "the store class's"),
            ["paired"] = "each request timed through Tracker and as SQL, alternating which goes first",
            ["sql_path"] = statements ? "statements" : "store class",
            ["tracker"] = tracker.Samples.Summary(duration),
            ["tracker_errors"] = tracker.Errors,
            ["sql"] = sql.Samples.Summary(duration),
            ["sql_errors"] = sql.Errors,
            ["store_class"] = inProcess.Samples.Summary(inProcessSeconds),
            ["sql_paired_with_store_class"] = sqlAgain.Samples.Summary(inProcessSeconds),
        };
        if (asked is not null)
        {
            result["queries"] = asked;
        }

        result["verified"] = tracker.Errors == 0 && sql.Errors == 0 && inProcess.Errors == 0;
        if (rssFigures is not null)
        {
            result["rss"] = rssFigures;
        }

        return result;
    }

    private static async Task<(long Total, List<string> Ids)> StoreIdsAsync(IEventStore store, EventQuery query)
    {
        var page = await store.QueryAsync(query, CancellationToken.None);
        return (page.TotalCount, page.Events.Select(e => e.Id).ToList());
    }

    /// <summary>Service and type drawn as the data was, and a Monday-to-Sunday week of 2025.</summary>
    public static List<SearchCase> SearchQueries(int seed, int count)
    {
        var factory = new EventFactory(seed);
        var random = new Random(seed);
        var firstMonday = new DateTimeOffset(2025, 1, 6, 0, 0, 0, TimeSpan.Zero);
        var cases = new List<SearchCase>(count);
        for (var i = 0; i < count; i++)
        {
            var service = factory.NextService();
            var type = factory.NextType();
            var from = firstMonday.AddDays(7 * random.Next(0, 51));
            var to = from.AddDays(7).AddTicks(-TimeSpan.TicksPerMicrosecond);
            var request = new SearchEventsRequest
            {
                Service = service,
                Type = type,
                StartDate = from.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                EndDate = to.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
                PerPage = PageSize,
            };
            FilterNode[] terms =
            [
                new Comparison(EventField.Service, Comparator.Equal, FilterValue.Of(service)),
                new Comparison(EventField.Type, Comparator.Equal, FilterValue.Of((long)type)),
                new Comparison(EventField.StartDate, Comparator.GreaterOrEqual, FilterValue.Of(EventKeys.ToMicros(from))),
                new Comparison(EventField.StartDate, Comparator.LessOrEqual, FilterValue.Of(EventKeys.ToMicros(to))),
            ];
            var query = new EventQuery(new EventCriteria(new AllOf(terms), []), EventOrder.NewestFirst, PageSize, CountLimit: SearchOptions.DefaultCountLimit);
            cases.Add(new SearchCase(request, query));
        }

        return cases;
    }

    /// <summary>Worker <paramref name="worker"/> of <paramref name="workers"/> walks its own share of the items, round and round.</summary>
    private static Func<Task> Cycle<T, TResult>(IReadOnlyList<T> items, int worker, int workers, Func<T, Task<TResult>> call)
    {
        var next = worker;
        return async () =>
        {
            var item = items[next % items.Count];
            next += workers;
            await call(item);
        };
    }

    /// <summary>
    /// Each worker alternates: one call through Tracker, the same request as SQL, then the next
    /// request in the other order, so both paths see the same requests and the same moments of a
    /// shared machine. Nothing is recorded during the warm-up; at least one pair is recorded.
    /// </summary>
    private static async Task<(Measurement Tracker, Measurement Sql)> MeasurePairedAsync(
        Func<int, Func<Task>> trackerFor, Func<int, Func<Task>> sqlFor, int concurrency, double warmup, double duration)
    {
        var clock = Stopwatch.StartNew();
        var measureFrom = TimeSpan.FromSeconds(warmup);
        var end = TimeSpan.FromSeconds(warmup + duration);
        var workers = Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            var tracker = new Measurement();
            var sql = new Measurement();
            var trackerCall = trackerFor(worker);
            var sqlCall = sqlFor(worker);
            var trackerFirst = true;
            // Until the end, and past it until one pair is recorded: a query of several seconds
            // (counting a common word's every match) can span the whole measured window.
            while (clock.Elapsed < end || tracker.Samples.Count == 0)
            {
                var record = clock.Elapsed >= measureFrom;
                if (trackerFirst)
                {
                    await TimeAsync(trackerCall, tracker, record);
                    await TimeAsync(sqlCall, sql, record);
                }
                else
                {
                    await TimeAsync(sqlCall, sql, record);
                    await TimeAsync(trackerCall, tracker, record);
                }

                trackerFirst = !trackerFirst;
            }

            return (tracker, sql);
        })).ToArray();

        var trackerAll = new Measurement();
        var sqlAll = new Measurement();
        foreach (var (tracker, sql) in await Task.WhenAll(workers))
        {
            trackerAll.Add(tracker);
            sqlAll.Add(sql);
        }

        return (trackerAll, sqlAll);
    }

    private static async Task TimeAsync(Func<Task> call, Measurement into, bool record)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await call();
        }
        catch (Exception e) when (e is GrpcCallException or HttpRequestException or NpgsqlException or SqliteException or TaskCanceledException)
        {
            into.Errors++;
            Console.Error.WriteLine(e.Message);
        }

        if (record)
        {
            into.Samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    internal sealed record SearchCase(SearchEventsRequest Request, EventQuery Query);

    private sealed class Measurement
    {
        public LatencySamples Samples { get; } = new();

        public long Errors { get; set; }

        public void Add(Measurement other)
        {
            Samples.AddRange(other.Samples);
            Errors += other.Errors;
        }
    }
}

/// <summary>The store class itself, called in the driver's process.</summary>
internal sealed class StoreClass : IAsyncDisposable
{
    private readonly IAsyncDisposable? _owner;

    private StoreClass(IEventStore store, IAsyncDisposable? owner)
    {
        Store = store;
        _owner = owner;
    }

    public IEventStore Store { get; }

    public static StoreClass Open(StoreTarget target)
    {
        if (target.IsSqlite)
        {
            return new StoreClass(new SqliteEventStore(target.ConnectionString), null);
        }

        var dataSource = PostgresConnectionFactory.Create(target.ConnectionString);
        return new StoreClass(new PostgresEventStore(dataSource, NullLogger<PostgresEventStore>.Instance), dataSource);
    }

    public async ValueTask DisposeAsync()
    {
        (Store as IDisposable)?.Dispose();
        if (_owner is not null)
        {
            await _owner.DisposeAsync();
        }
    }
}

/// <summary>The store's own SQL, run directly with ADO.NET: the baseline of scenario d.</summary>
internal abstract class DirectSql : IAsyncDisposable
{
    public static DirectSql Open(StoreTarget store) => store.IsSqlite ? new SqliteDirect(store.ConnectionString) : new PostgresDirect(store.ConnectionString);

    /// <summary>Whether the store still builds its query statements as this class runs them (<see cref="StoreInternals.SqliteBuildQuery"/>).</summary>
    public abstract bool CanBuildQueries { get; }

    public abstract Task<int> SearchAsync(EventQuery query);

    /// <summary>The page's ids and the total the server reports for it: the count, at most the query's count limit.</summary>
    public abstract Task<(long Total, List<string> Ids)> SearchIdsAsync(EventQuery query);

    public abstract Task<int> GetAsync(string id);

    public abstract Task<List<string>> SampleIdsAsync(int count);

    /// <summary>
    /// The seq of the event with this id, or null: the store's own statement for after_id
    /// (FindSequenceAsync), a primary-key lookup.
    /// </summary>
    public abstract Task<long?> FindSequenceAsync(string id);

    /// <summary>The ids and seqs of the last <paramref name="count"/> events committed, the last first.</summary>
    public abstract Task<List<(string Id, long Seq)>> LatestAsync(int count);

    /// <summary>The stored events with these seqs (those that exist), decoded, in seq order.</summary>
    public abstract Task<List<Event>> EventsAtAsync(IReadOnlyCollection<long> seqs);

    /// <summary>The highest seq of the store, 0 when it is empty.</summary>
    public async Task<long> LastSequenceAsync() => (await LatestAsync(1)) is [var last] ? last.Seq : 0;

    public abstract ValueTask DisposeAsync();

    private sealed class SqliteDirect(string connectionString) : DirectSql
    {
        private readonly System.Collections.Concurrent.ConcurrentBag<SqliteConnection> _idle = [];

        public override bool CanBuildQueries => StoreInternals.SqliteBuildQuery is not null;

        private static Action<EventQuery, SqliteCommand, SqliteCommand> Build =>
            StoreInternals.SqliteBuildQuery ?? throw StoreInternals.Missing("SqlitePageQuery.Build(query, count, page)");

        public override Task<int> SearchAsync(EventQuery query) => WithConnection(async connection =>
        {
            await using var transaction = connection.BeginTransaction(deferred: true);
            await using var count = connection.CreateCommand();
            await using var page = connection.CreateCommand();
            count.Transaction = transaction;
            page.Transaction = transaction;
            Build(query, count, page);
            _ = await count.ExecuteScalarAsync();
            var rows = 0;
            await using (var reader = await page.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    _ = (byte[])reader[0];
                    rows++;
                }
            }

            await transaction.CommitAsync();
            return rows;
        });

        public override Task<(long Total, List<string> Ids)> SearchIdsAsync(EventQuery query) => WithConnection(async connection =>
        {
            await using var count = connection.CreateCommand();
            await using var page = connection.CreateCommand();
            Build(query, count, page);
            var total = (long)(await count.ExecuteScalarAsync() ?? 0L);
            var ids = new List<string>();
            await using var reader = await page.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ids.Add(Event.Parser.ParseFrom((byte[])reader[0]).Id);
            }

            return (Math.Min(total, query.CountLimit ?? total), ids);
        });

        public override Task<int> GetAsync(string id) => WithConnection(async connection =>
        {
            await using var select = connection.CreateCommand();
            select.CommandText = "SELECT doc FROM events WHERE id = $id";
            select.Parameters.AddWithValue("$id", id);
            return await select.ExecuteScalarAsync() is byte[] doc ? doc.Length : throw new InvalidOperationException($"no event {id}");
        });

        public override Task<List<string>> SampleIdsAsync(int count) => WithConnection(async connection =>
        {
            await using var select = connection.CreateCommand();
            select.CommandText = "SELECT id FROM events ORDER BY random() LIMIT $n";
            select.Parameters.AddWithValue("$n", count);
            var ids = new List<string>();
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetString(0));
            }

            return ids;
        });

        public override Task<long?> FindSequenceAsync(string id) => WithConnection(async connection =>
        {
            await using var select = connection.CreateCommand();
            select.CommandText = "SELECT seq FROM events WHERE id = $id";
            select.Parameters.AddWithValue("$id", id);
            return await select.ExecuteScalarAsync() is long seq ? seq : (long?)null;
        });

        public override Task<List<(string Id, long Seq)>> LatestAsync(int count) => WithConnection(async connection =>
        {
            await using var select = connection.CreateCommand();
            select.CommandText = "SELECT id, seq FROM events ORDER BY seq DESC LIMIT $n";
            select.Parameters.AddWithValue("$n", count);
            var latest = new List<(string, long)>();
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                latest.Add((reader.GetString(0), reader.GetInt64(1)));
            }

            return latest;
        });

        public override Task<List<Event>> EventsAtAsync(IReadOnlyCollection<long> seqs) => WithConnection(async connection =>
        {
            await using var select = connection.CreateCommand();
            select.CommandText = "SELECT doc FROM events WHERE seq IN (SELECT value FROM json_each($seqs)) ORDER BY seq";
            select.Parameters.AddWithValue("$seqs", "[" + string.Join(",", seqs.Select(seq => seq.ToString(CultureInfo.InvariantCulture))) + "]");
            var events = new List<Event>();
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                events.Add(Event.Parser.ParseFrom((byte[])reader[0]));
            }

            return events;
        });

        public override async ValueTask DisposeAsync()
        {
            foreach (var connection in _idle)
            {
                await connection.DisposeAsync();
            }
        }

        // One open connection per concurrent caller, kept open between calls.
        private async Task<T> WithConnection<T>(Func<SqliteConnection, Task<T>> use)
        {
            if (!_idle.TryTake(out var connection))
            {
                connection = new SqliteConnection(connectionString);
                await connection.OpenAsync();
                await using var pragmas = connection.CreateCommand();
                pragmas.CommandText = "PRAGMA busy_timeout = 5000; PRAGMA synchronous = FULL;";
                await pragmas.ExecuteNonQueryAsync();
            }

            try
            {
                return await use(connection);
            }
            finally
            {
                _idle.Add(connection);
            }
        }
    }

    private sealed class PostgresDirect(string connectionString) : DirectSql
    {
        private readonly NpgsqlDataSource _dataSource = PostgresConnectionFactory.Create(connectionString);

        public override bool CanBuildQueries => StoreInternals.PostgresBuildQuery is not null;

        private static Func<EventQuery, NpgsqlCommand> Build =>
            StoreInternals.PostgresBuildQuery ?? throw StoreInternals.Missing("PostgresPageQuery.Build(query)");

        public override async Task<int> SearchAsync(EventQuery query)
        {
            await using var connection = await _dataSource.OpenConnectionAsync();
            await using var select = Build(query);
            select.Connection = connection;
            await using var reader = await select.ExecuteReaderAsync();
            var rows = 0;
            while (await reader.ReadAsync())
            {
                _ = reader.GetInt64(0);
                if (!await reader.IsDBNullAsync(1))
                {
                    _ = reader.GetFieldValue<byte[]>(1);
                    rows++;
                }
            }

            return rows;
        }

        public override async Task<(long Total, List<string> Ids)> SearchIdsAsync(EventQuery query)
        {
            await using var connection = await _dataSource.OpenConnectionAsync();
            await using var select = Build(query);
            select.Connection = connection;
            await using var reader = await select.ExecuteReaderAsync();
            long total = 0;
            var ids = new List<string>();
            while (await reader.ReadAsync())
            {
                total = reader.GetInt64(0);
                if (!await reader.IsDBNullAsync(1))
                {
                    ids.Add(Event.Parser.ParseFrom(reader.GetFieldValue<byte[]>(1)).Id);
                }
            }

            return (Math.Min(total, query.CountLimit ?? total), ids);
        }

        public override async Task<int> GetAsync(string id)
        {
            await using var connection = await _dataSource.OpenConnectionAsync();
            await using var select = new NpgsqlCommand("SELECT document FROM events WHERE id = $1", connection);
            select.Parameters.Add(new NpgsqlParameter { Value = id, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            return await select.ExecuteScalarAsync() is byte[] doc ? doc.Length : throw new InvalidOperationException($"no event {id}");
        }

        public override async Task<List<string>> SampleIdsAsync(int count)
        {
            await using var connection = await _dataSource.OpenConnectionAsync();
            await using var select = new NpgsqlCommand("SELECT id FROM events ORDER BY random() LIMIT $1", connection);
            select.Parameters.Add(new NpgsqlParameter<int> { TypedValue = count });
            var ids = new List<string>();
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetString(0));
            }

            return ids;
        }

        public override async Task<long?> FindSequenceAsync(string id)
        {
            await using var connection = await _dataSource.OpenConnectionAsync();
            await using var select = new NpgsqlCommand("SELECT seq FROM events WHERE id = $1", connection);
            select.Parameters.Add(new NpgsqlParameter { Value = id, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            return await select.ExecuteScalarAsync() is long seq ? seq : null;
        }

        public override async Task<List<(string Id, long Seq)>> LatestAsync(int count)
        {
            await using var connection = await _dataSource.OpenConnectionAsync();
            await using var select = new NpgsqlCommand("SELECT id, seq FROM events ORDER BY seq DESC LIMIT $1", connection);
            select.Parameters.Add(new NpgsqlParameter<int> { TypedValue = count });
            var latest = new List<(string, long)>();
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                latest.Add((reader.GetString(0), reader.GetInt64(1)));
            }

            return latest;
        }

        public override async Task<List<Event>> EventsAtAsync(IReadOnlyCollection<long> seqs)
        {
            await using var connection = await _dataSource.OpenConnectionAsync();
            await using var select = new NpgsqlCommand("SELECT document FROM events WHERE seq = ANY($1) ORDER BY seq", connection);
            select.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. seqs] });
            var events = new List<Event>();
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                events.Add(Event.Parser.ParseFrom(reader.GetFieldValue<byte[]>(0)));
            }

            return events;
        }

        public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();
    }
}
