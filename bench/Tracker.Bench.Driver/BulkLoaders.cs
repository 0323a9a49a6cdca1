using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Postgres;
using Tracker.Events.Sqlite;

namespace Tracker.Bench.Driver;

/// <summary>
/// Loads generated events through each store's bulk path: the schema comes from the store's
/// own migration, the rows from the store's own column binding. SQLite: one transaction in which
/// the store's own writer inserts every event (seq, row, side rows and full text, as CreateEvent).
/// PostgreSQL: COPY ... FROM STDIN (FORMAT BINARY) with the store's row values (every search
/// column, seq in load order), then VACUUM ANALYZE, which autovacuum would do on its own, and a
/// CHECKPOINT, so that writing the loaded pages out does not overlap the reads measured next.
/// </summary>
internal static class BulkLoaders
{
    public static async Task<LoadResult> LoadSqliteAsync(string connectionString, int count, int seed)
    {
        using (var store = new SqliteEventStore(connectionString))
        {
            await store.MigrateAsync(CancellationToken.None);
        }

        var clock = Stopwatch.StartNew();
        var factory = new EventFactory(seed);
        var times = factory.EventTimesMicros(count);
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA cache_size = -262144;");
        await using (var transaction = connection.BeginTransaction(deferred: false))
        {
            await using (var writer = StoreInternals.OpenSqliteWriter(connection, transaction))
            {
                foreach (var time in times)
                {
                    await writer.InsertAsync(factory.Next(time));
                }
            }

            await transaction.CommitAsync();
        }

        await Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        return new LoadResult(count, clock.Elapsed.TotalSeconds);
    }

    public static async Task<LoadResult> LoadPostgresAsync(string connectionString, int count, int seed)
    {
        await using var dataSource = PostgresConnectionFactory.Create(connectionString);
        var store = new PostgresEventStore(dataSource, NullLogger<PostgresEventStore>.Instance);
        await store.MigrateAsync(CancellationToken.None);

        var clock = Stopwatch.StartNew();
        var factory = new EventFactory(seed);
        var times = factory.EventTimesMicros(count);

        // Every column the store writes, with each value sent as the store's parameter types it,
        // and seq numbered in load order (as if each row had been committed in turn).
        var columns = new[] { "id", "request_id" }.Concat(StoreInternals.PostgresValueColumns).Append("seq").ToArray();
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await using var importer = await connection.BeginBinaryImportAsync($"COPY events ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)");
            await using var scratch = new NpgsqlCommand();
            long sequence = 0;
            foreach (var time in times)
            {
                var e = factory.Next(time);
                scratch.Parameters.Clear();
                StoreInternals.PostgresAddValues(scratch.Parameters, e);
                await importer.StartRowAsync();
                await importer.WriteAsync(e.Id, NpgsqlDbType.Text);
                await importer.WriteNullAsync();
                foreach (NpgsqlParameter value in scratch.Parameters)
                {
                    if (value.Value is null or DBNull)
                    {
                        await importer.WriteNullAsync();
                    }
                    else
                    {
                        await importer.WriteAsync(value.Value, value.NpgsqlDbType);
                    }
                }

                await importer.WriteAsync(++sequence, NpgsqlDbType.Bigint);
            }

            await importer.CompleteAsync();
        }

        // The store's migration moves its commit counter past the loaded rows' seq, so events
        // created afterwards come after them.
        await store.MigrateAsync(CancellationToken.None);

        var loaded = clock.Elapsed.TotalSeconds;
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await using var vacuum = new NpgsqlCommand("VACUUM ANALYZE events", connection) { CommandTimeout = 600 };
            await vacuum.ExecuteNonQueryAsync();

            // Write the loaded pages out now, so the checkpointer does not do it during the reads.
            await using var checkpoint = new NpgsqlCommand("CHECKPOINT", connection) { CommandTimeout = 600 };
            await checkpoint.ExecuteNonQueryAsync();
        }

        return new LoadResult(count, clock.Elapsed.TotalSeconds, loaded);
    }

    private static async Task Execute(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}

internal sealed record LoadResult(int Events, double Seconds, double? CopySeconds = null);
