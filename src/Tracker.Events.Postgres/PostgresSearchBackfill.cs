using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Tracker.Api.V1Alpha1;

namespace Tracker.Events.Postgres;

/// <summary>
/// Fills the columns migration 3 added for the rows written before it (their seq is still
/// NULL), by decoding each row's document in C# with the code every write uses
/// (<see cref="PostgresEventRow"/>). It works in batches of <see cref="BatchSize"/> rows, one
/// transaction each, so an interruption loses at most one batch and the next run carries on.
/// Each batch holds the commit counter's row lock while it takes the rows' seq, in
/// (created_at, id) order: several processes migrating at once take turns, and none of them
/// numbers a row twice.
/// </summary>
internal sealed class PostgresSearchBackfill(NpgsqlDataSource dataSource, ILogger logger)
{
    public const int BatchSize = 1000;

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(10);

    private static readonly string UpdateSql = $"""
        UPDATE events AS e
        SET {string.Join(", ", PostgresEventRow.ValueColumns.Select(c => $"{c} = r.{c}"))}, seq = $2 + r.ordinal
        FROM unnest($1::text[], {PostgresEventRow.UnnestArguments(3)}) WITH ORDINALITY AS r(id, {PostgresEventRow.ColumnList()}, ordinal)
        WHERE e.id = r.id
        """;

    /// <summary>Returns once no row is left to fill.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var total = await CountPendingAsync(cancellationToken).ConfigureAwait(false);
        if (total == 0)
        {
            return;
        }

        LogProgress(0, total);
        var sinceLog = Stopwatch.StartNew();
        Position? resumeAfter = null;
        while (true)
        {
            var last = await FillBatchAsync(resumeAfter, cancellationToken).ConfigureAwait(false);
            if (last is null)
            {
                if (resumeAfter is null)
                {
                    break;
                }

                // Nothing after where this run got to; look once more from the start, for rows
                // written meanwhile by a replica that does not fill these columns yet.
                resumeAfter = null;
                continue;
            }

            resumeAfter = last;
            if (sinceLog.Elapsed >= ProgressInterval)
            {
                LogProgress(Math.Max(total - await CountPendingAsync(cancellationToken).ConfigureAwait(false), 0), total);
                sinceLog.Restart();
            }
        }

        LogProgress(total, total);
    }

    private async Task<long> CountPendingAsync(CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionDisposal = connection.ConfigureAwait(false);
        var count = new NpgsqlCommand("SELECT count(*) FROM events WHERE seq IS NULL", connection);
        await using var countDisposal = count.ConfigureAwait(false);
        return (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Fills the next batch; returns the position of its last row, or null when none was left.</summary>
    private async Task<Position?> FillBatchAsync(Position? after, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionDisposal = connection.ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var transactionDisposal = transaction.ConfigureAwait(false);

        long lastSequence;
        var counter = new NpgsqlCommand("SELECT last_value FROM event_sequence FOR UPDATE", connection, transaction);
        await using (counter.ConfigureAwait(false))
        {
            lastSequence = (long)(await counter.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        // Read after the counter is ours, so the rows another process just filled are not read again.
        var ids = new List<string>(BatchSize);
        var events = new List<Event>(BatchSize);
        long lastCreatedAt = 0;
        var select = new NpgsqlCommand(
            $"""
            SELECT id, created_at_us, document FROM events
            WHERE seq IS NULL {(after is null ? "" : "AND (created_at_us, id) > ($2, $3)")}
            ORDER BY created_at_us, id LIMIT $1 FOR UPDATE
            """,
            connection,
            transaction);
        await using (select.ConfigureAwait(false))
        {
            select.Parameters.Add(new NpgsqlParameter<int> { TypedValue = BatchSize });
            if (after is { } position)
            {
                select.Parameters.Add(new NpgsqlParameter<long> { TypedValue = position.CreatedAtMicros });
                select.Parameters.Add(PostgresEventRow.Text(position.Id));
            }

            var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using var readerDisposal = reader.ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                ids.Add(reader.GetString(0));
                lastCreatedAt = reader.GetInt64(1);
                events.Add(PostgresEventRow.Read(reader, 2));
            }
        }

        if (ids.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }

        var update = new NpgsqlCommand(UpdateSql, connection, transaction);
        await using (update.ConfigureAwait(false))
        {
            update.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = ids.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            update.Parameters.Add(new NpgsqlParameter<long> { TypedValue = lastSequence });
            PostgresEventRow.AddArrays(update.Parameters, events);
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var advance = new NpgsqlCommand("UPDATE event_sequence SET last_value = $1", connection, transaction);
        await using (advance.ConfigureAwait(false))
        {
            advance.Parameters.Add(new NpgsqlParameter<long> { TypedValue = lastSequence + ids.Count });
            await advance.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new Position(lastCreatedAt, ids[^1]);
    }

    private void LogProgress(long indexed, long total) =>
        PostgresLog.IndexingForSearch(logger, Count(total), Count(indexed));

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A row's place in the (created_at, id) order the backfill walks.</summary>
    private readonly record struct Position(long CreatedAtMicros, string Id);
}
