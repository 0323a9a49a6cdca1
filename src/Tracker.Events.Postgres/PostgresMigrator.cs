using Microsoft.Extensions.Logging;
using Npgsql;

namespace Tracker.Events.Postgres;

/// <summary>
/// Brings the schema to the latest version. The schema changes are one transaction holding an
/// advisory lock keyed by the schema, so replicas starting together apply each version once
/// and the others then find nothing to do. Then the rows written before migration 3 get their
/// search columns (<see cref="PostgresSearchBackfill"/>), in batches that every migrating
/// replica helps with; each returns once none is left.
/// </summary>
internal sealed class PostgresMigrator(NpgsqlDataSource dataSource, ILogger logger)
{
    // First half of the two-part advisory lock key: "Trak".
    private const int LockNamespace = 0x5472616B;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await ApplySchemaChangesAsync(cancellationToken).ConfigureAwait(false);
        await new PostgresSearchBackfill(dataSource, logger).RunAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task ApplySchemaChangesAsync(CancellationToken cancellationToken)
    {
        var schema = PostgresSearchPath.First(new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).SearchPath);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionDisposal = connection.ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var transactionDisposal = transaction.ConfigureAwait(false);

        await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock($1, hashtext(coalesce($2, current_schema(), '')))", cancellationToken, LockNamespace, schema).ConfigureAwait(false);
        if (schema is not null)
        {
            await ExecuteAsync(connection, transaction, $"CREATE SCHEMA IF NOT EXISTS {PostgresSearchPath.Quote(schema)}", cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(connection, transaction, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, cancellationToken).ConfigureAwait(false);

        var applied = await AppliedVersionsAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var target = schema ?? "current schema";
        foreach (var migration in PostgresMigrations.All.Where(m => !applied.Contains(m.Version)).OrderBy(m => m.Version))
        {
            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", cancellationToken, migration.Version, migration.Name).ConfigureAwait(false);
            PostgresLog.MigrationApplied(logger, migration.Version, migration.Name, target);
        }

        // Rows loaded with their seq by other means (COPY, a restore) must not be numbered again.
        await ExecuteAsync(connection, transaction, """
            UPDATE event_sequence SET last_value = loaded.max_seq
            FROM (SELECT max(seq) AS max_seq FROM events) AS loaded
            WHERE last_value < loaded.max_seq
            """, cancellationToken).ConfigureAwait(false);

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<HashSet<int>> AppliedVersionsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand("SELECT version FROM schema_migrations", connection, transaction);
        await using var commandDisposal = command.ConfigureAwait(false);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerDisposal = reader.ConfigureAwait(false);
        var versions = new HashSet<int>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken, params object?[] values)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        await using var commandDisposal = command.ConfigureAwait(false);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value, NpgsqlDbType = value is int ? NpgsqlTypes.NpgsqlDbType.Integer : NpgsqlTypes.NpgsqlDbType.Text });
        }

        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
