using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Postgres;
using Tracker.Events.Sqlite;
using Tracker.Events.Storage;

namespace Tracker.Bench.Driver;

/// <summary>
/// Write figures measured inside the driver: the raw Microsoft.Data.Sqlite loop of scenario e
/// (the store's own row writer and its statements into the store's schema: the events row with
/// its indexes, the full-text row, the side rows and the change-log row; WAL, synchronous=FULL,
/// one commit per event as every acknowledged CreateEvent needs), the same loop committing
/// several events at once (what group commit could reach), and the store classes called in process (no HTTP/2, no gRPC), which
/// splits a shortfall between the store and the transport.
/// </summary>
internal static class WriteBaselines
{
    public static async Task<JsonObject> SqliteRawAsync(Options options)
    {
        var connectionString = options.Get("cs");
        var warmup = options.Seconds("warmup", 3);
        var duration = options.Seconds("duration", 15);
        var batch = options.Int("batch", 1);
        using (var store = new SqliteEventStore(connectionString))
        {
            await store.MigrateAsync(CancellationToken.None);
        }

        var request = EventFactory.CreateRequest();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using (var pragmas = connection.CreateCommand())
        {
            pragmas.CommandText = "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;";
            await pragmas.ExecuteNonQueryAsync();
        }

        var clock = Stopwatch.StartNew();
        var measureFrom = TimeSpan.FromSeconds(warmup);
        var end = TimeSpan.FromSeconds(warmup + duration);
        long inserted = 0;
        var measuring = false;
        CpuMeter? cpu = null;
        var samples = new LatencySamples();
        SqliteRowWriter? writer = null;
        while (clock.Elapsed < end)
        {
            if (!measuring && clock.Elapsed >= measureFrom)
            {
                measuring = true;
                inserted = 0;
                cpu = CpuMeter.Start(null);
            }

            var started = Stopwatch.GetTimestamp();
            await using (var transaction = connection.BeginTransaction(deferred: false))
            {
                // One writer for the connection, its statements prepared once, as the store's write connection has.
                if (writer is null)
                {
                    writer = StoreInternals.OpenSqliteWriter(connection, transaction);
                }
                else
                {
                    writer.Join(transaction);
                }

                for (var i = 0; i < batch; i++)
                {
                    await writer.InsertAsync(EventFactory.StoredFrom(request, Now()));
                }

                await transaction.CommitAsync();
            }

            inserted += batch;
            if (measuring)
            {
                samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        var seconds = (clock.Elapsed - measureFrom).TotalSeconds;
        if (writer is not null)
        {
            await writer.DisposeAsync();
        }

        return new JsonObject
        {
            ["tool"] = "driver",
            ["what"] = batch == 1 ? "raw Microsoft.Data.Sqlite loop, one commit per event" : $"raw Microsoft.Data.Sqlite loop, {batch} events per commit",
            ["warmup_s"] = warmup,
            ["duration_s"] = Math.Round(seconds, 3),
            ["succeeded"] = inserted,
            ["per_second"] = Math.Round(inserted / seconds, 1),
            ["commit"] = samples.Summary(seconds),
            ["cpu"] = cpu?.Stop(inserted, seconds),
            ["verified"] = true,
        };
    }

    /// <summary>CreateAsync on the store class, <c>--concurrency</c> callers at once, in this process.</summary>
    public static async Task<JsonObject> StoreCreateAsync(Options options)
    {
        var target = StoreTarget.Parse(options.Get("store"));
        var warmup = options.Seconds("warmup", 3);
        var duration = options.Seconds("duration", 10);
        var concurrency = options.Int("concurrency", 64);
        IEventStore store;
        IAsyncDisposable? owner = null;
        if (target.IsSqlite)
        {
            store = new SqliteEventStore(target.ConnectionString);
        }
        else
        {
            var dataSource = PostgresConnectionFactory.Create(target.ConnectionString);
            owner = dataSource;
            store = new PostgresEventStore(dataSource, NullLogger<PostgresEventStore>.Instance);
        }

        try
        {
            await store.MigrateAsync(CancellationToken.None);
            var before = await target.CountAsync();
            var request = EventFactory.CreateRequest();
            CpuMeter? cpu = null;
            var clock = Stopwatch.StartNew();
            var measureFrom = TimeSpan.FromSeconds(warmup);
            var end = TimeSpan.FromSeconds(warmup + duration);
            long warm = 0;
            var workersLock = new object();
            var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
            {
                var samples = new LatencySamples();
                long done = 0;
                long beforeMeasure = 0;
                while (clock.Elapsed < end)
                {
                    var started = Stopwatch.GetTimestamp();
                    var inWarmup = clock.Elapsed < measureFrom;
                    if (!inWarmup && cpu is null)
                    {
                        lock (workersLock)
                        {
                            cpu ??= CpuMeter.Start(null);
                        }
                    }

                    await store.CreateAsync(EventFactory.StoredFrom(request, Now()), null, CancellationToken.None);
                    done++;
                    if (inWarmup)
                    {
                        beforeMeasure++;
                    }
                    else
                    {
                        samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                }

                Interlocked.Add(ref warm, beforeMeasure);
                return (samples, done);
            })).ToArray();
            var results = await Task.WhenAll(workers);
            var all = new LatencySamples();
            long total = 0;
            foreach (var (samples, done) in results)
            {
                all.AddRange(samples);
                total += done;
            }

            var measured = total - warm;
            var cpuFigures = cpu?.Stop(measured, duration);
            var gained = await target.CountAsync() - before;
            return new JsonObject
            {
                ["tool"] = "driver",
                ["what"] = $"{store.GetType().Name}.CreateAsync in process, {concurrency} concurrent callers",
                ["warmup_s"] = warmup,
                ["duration_s"] = duration,
                ["succeeded"] = measured,
                ["per_second"] = Math.Round(measured / duration, 1),
                ["independent_count"] = gained,
                ["calls_including_warmup"] = total,
                ["verified"] = gained == total,
                ["latency"] = all.Summary(duration),
                ["cpu"] = cpuFigures,
            };
        }
        finally
        {
            (store as IDisposable)?.Dispose();
            if (owner is not null)
            {
                await owner.DisposeAsync();
            }
        }
    }

    // What EventClock does: the current time in whole microseconds.
    private static DateTimeOffset Now()
    {
        var now = DateTimeOffset.UtcNow;
        return new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
    }
}
