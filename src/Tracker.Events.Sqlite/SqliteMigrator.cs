using Microsoft.Data.Sqlite;

namespace Tracker.Events.Sqlite;

/// <summary>
/// Applies the migrations not yet recorded in schema_migrations, inside the caller's
/// BEGIN IMMEDIATE transaction: two processes starting together apply each step once, and
/// running it again changes nothing.
/// </summary>
internal static class SqliteMigrator
{
    public static async Task ApplySchemaChangesAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        var create = connection.CreateCommand();
        await using (create.ConfigureAwait(false))
        {
            create.Transaction = transaction;
            create.CommandText = """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    INTEGER NOT NULL PRIMARY KEY,
                    name       TEXT    NOT NULL,
                    applied_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                )
                """;
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        long applied;
        var max = connection.CreateCommand();
        await using (max.ConfigureAwait(false))
        {
            max.Transaction = transaction;
            max.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
            applied = (long)(await max.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L);
        }

        foreach (var migration in SqliteMigrations.All.Where(m => m.Version > applied).OrderBy(m => m.Version))
        {
            var step = connection.CreateCommand();
            await using var stepDisposal = step.ConfigureAwait(false);
            step.Transaction = transaction;
            step.CommandText = migration.Sql;
            await step.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

            var record = connection.CreateCommand();
            await using var recordDisposal = record.ConfigureAwait(false);
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_migrations (version, name) VALUES ($version, $name)";
            record.Parameters.AddWithValue("$version", migration.Version);
            record.Parameters.AddWithValue("$name", migration.Name);
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
