using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Postgres;
using Tracker.Events.Sqlite;

namespace Tracker.Bench.Driver;

/// <summary>
/// Loads generated events through each store's bulk path: the schema comes from the store's
/// own migration, the rows from the store's own column binding. SQLite: one transaction in which
/// the store's own writer inserts every event (seq, row, side rows and full text, as CreateEvent). PostgreSQL: COPY ... FROM STDIN (FORMAT BINARY)
/// with the store's row values, then VACUUM ANALYZE, which autovacuum would do on its own, and a
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
        await using var dataSource = PostgresDataSourceFactory.Create(connectionString);
        await new PostgresEventStore(dataSource, NullLogger<PostgresEventStore>.Instance).MigrateAsync(CancellationToken.None);

        var clock = Stopwatch.StartNew();
        var factory = new EventFactory(seed);
        var times = factory.EventTimesMicros(count);
        var columns = new[] { "id", "request_id" }.Concat(StoreInternals.PostgresValueColumns).ToArray();
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await using var importer = await connection.BeginBinaryImportAsync($"COPY events ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)");
            await using var scratch = new NpgsqlCommand();
            var row = new object?[columns.Length];
            foreach (var time in times)
            {
                var e = factory.Next(time);
                scratch.Parameters.Clear();
                StoreInternals.PostgresAddValues(scratch.Parameters, e);
                row[0] = e.Id;
                row[1] = DBNull.Value;
                for (var i = 0; i < scratch.Parameters.Count; i++)
                {
                    row[i + 2] = scratch.Parameters[i].Value;
                }

                await importer.WriteRowAsync(CancellationToken.None, row);
            }

            await importer.CompleteAsync();
        }

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
