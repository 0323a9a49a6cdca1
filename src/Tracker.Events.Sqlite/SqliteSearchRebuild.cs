using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Tracker.Events.Sqlite;

/// <summary>
/// Fills the full-text index that migrations 7 and 9 recreated empty, from the events' title,
/// message and service as the index holds them (the view events_search_text), in seq order through search_rebuild.rebuild_through (the last seq given out when the
/// step ran; later events were indexed as they were written). It works in batches, one write
/// transaction each, recording how far it got in the same transaction, so that an interrupted
/// run loses one batch at most and the next run carries on from there. It logs its progress
/// while there is anything to do. Measured: some 50 s per million events on 2 shared cores.
/// </summary>
internal sealed class SqliteSearchRebuild(ILogger logger, int batchSize = 5000, TimeSpan? progressInterval = null)
{
    private readonly TimeSpan _progressInterval = progressInterval ?? TimeSpan.FromSeconds(5);

    /// <summary>Indexes the events not indexed yet; returns how many it indexed.</summary>
    public async Task<long> RunAsync(SqliteWrite<int> write, CancellationToken cancellationToken)
    {
        var done = 0L;
        var sinceLogged = Stopwatch.StartNew();
        var logged = false;
        while (true)
        {
            var (indexed, through, target) = (0, 0L, 0L);
            await write(async (connection, transaction) =>
            {
                (indexed, through, target) = await IndexBatchAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                return indexed;
            }).ConfigureAwait(false);
            done += indexed;
            var finished = through >= target;
            if ((indexed > 0 && !logged) || (finished && logged) || (!finished && sinceLogged.Elapsed >= _progressInterval))
            {
                SqliteLog.RebuildingFullText(logger, through, target);
                sinceLogged.Restart();
                logged = true;
            }

            if (finished)
            {
                if (done > 0)
                {
                    // A batch a transaction leaves many small segments; merged into one, a query reads one list per word.
                    await write(async (connection, transaction) =>
                    {
                        var optimize = Command(connection, transaction, "INSERT INTO events_fts (events_fts) VALUES ('optimize')");
                        await using var optimizeDisposal = optimize.ConfigureAwait(false);
                        return await optimize.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }).ConfigureAwait(false);
                }

                return done;
            }
        }
    }

    /// <summary>Indexes the next batch; returns its size, how far the index now reaches and where the rebuild ends.</summary>
    private async Task<(int Indexed, long Through, long Target)> IndexBatchAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        var state = Command(connection, transaction, "SELECT indexed_through, rebuild_through FROM search_rebuild WHERE id = 1");
        await using var stateDisposal = state.ConfigureAwait(false);
        long from, target;
        var reader = await state.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return (0, 0, 0);
            }

            (from, target) = (reader.GetInt64(0), reader.GetInt64(1));
        }

        if (from >= target)
        {
            return (0, from, target);
        }

        // The batch's last seq first: the insert and the recorded position cover the same rows.
        var last = Command(connection, transaction, "SELECT max(seq) FROM (SELECT seq FROM events WHERE seq > $from AND seq <= $target ORDER BY seq LIMIT $limit)");
        await using var lastDisposal = last.ConfigureAwait(false);
        last.Parameters.AddWithValue("$from", from);
        last.Parameters.AddWithValue("$target", target);
        last.Parameters.AddWithValue("$limit", batchSize);
        var through = await last.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long seq ? seq : target;

        var insert = Command(connection, transaction, """
            INSERT INTO events_fts (rowid, title, message, service) SELECT seq, title, message, service FROM events_search_text WHERE seq > $from AND seq <= $through ORDER BY seq;
            UPDATE search_rebuild SET indexed_through = $through WHERE id = 1;
            """);
        await using var insertDisposal = insert.ConfigureAwait(false);
        insert.Parameters.AddWithValue("$from", from);
        insert.Parameters.AddWithValue("$through", through);
        var indexed = await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) - 1;
        return (Math.Max(indexed, 0), through, target);
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
