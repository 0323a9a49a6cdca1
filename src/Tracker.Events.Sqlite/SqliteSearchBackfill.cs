using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Tracker.Api.V1Alpha1;

namespace Tracker.Events.Sqlite;

/// <summary>
/// Runs one unit of work in a write transaction of the store, and returns its result once committed.
/// </summary>
internal delegate Task<T> SqliteWrite<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work);

/// <summary>
/// Indexes the events written before migration 3 (their seq is NULL): decodes each document and
/// fills the columns, side rows and full text that step added, giving the rows seqs in
/// (created_at, id) order. It works in batches, one write transaction each, so that writers wait
/// a batch at most and an interrupted run loses one batch at most: the next run carries on with
/// the rows still without seq. It logs its progress while there is anything to do.
/// </summary>
internal sealed class SqliteSearchBackfill(ILogger logger, int batchSize = 1000, TimeSpan? progressInterval = null)
{
    private readonly TimeSpan _progressInterval = progressInterval ?? TimeSpan.FromSeconds(5);

    /// <summary>Indexes every row without seq; returns how many it indexed.</summary>
    public async Task<long> RunAsync(SqliteWrite<int> write, CancellationToken cancellationToken)
    {
        var total = await write((connection, transaction) => CountPendingAsync(connection, transaction, cancellationToken)).ConfigureAwait(false);
        if (total == 0)
        {
            return 0;
        }

        SqliteLog.IndexingForSearch(logger, total, 0);
        var done = 0L;
        var sinceLogged = Stopwatch.StartNew();
        while (true)
        {
            var indexed = await write((connection, transaction) => IndexBatchAsync(connection, transaction, cancellationToken)).ConfigureAwait(false);
            done += indexed;
            if (indexed == 0 || sinceLogged.Elapsed >= _progressInterval)
            {
                // Rows written by an older version meanwhile can take the count past the first total.
                SqliteLog.IndexingForSearch(logger, Math.Max(total, done), done);
                sinceLogged.Restart();
            }

            if (indexed == 0)
            {
                return done;
            }
        }
    }

    private static async Task<int> CountPendingAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        var count = connection.CreateCommand();
        await using var countDisposal = count.ConfigureAwait(false);
        count.Transaction = transaction;
        count.CommandText = "SELECT COUNT(*) FROM events WHERE seq IS NULL";
        return (int)(long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L);
    }

    private async Task<int> IndexBatchAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        var rows = new List<(long RowId, byte[] Doc)>(batchSize);
        var select = connection.CreateCommand();
        await using (select.ConfigureAwait(false))
        {
            // The partial index holds exactly these rows, in this order: no scan of the indexed ones.
            select.Transaction = transaction;
            select.CommandText = "SELECT rowid, doc FROM events INDEXED BY events_to_index WHERE seq IS NULL ORDER BY created_at_us, id LIMIT $limit";
            select.Parameters.AddWithValue("$limit", batchSize);
            var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using var readerDisposal = reader.ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add((reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)));
            }
        }

        var writer = new SqliteEventWriter(connection, transaction);
        await using var writerDisposal = writer.ConfigureAwait(false);
        foreach (var (rowId, doc) in rows)
        {
            await writer.IndexAsync(rowId, Event.Parser.ParseFrom(doc), cancellationToken).ConfigureAwait(false);
        }

        return rows.Count;
    }
}
