using Google.Protobuf.WellKnownTypes;
using Npgsql;
using NpgsqlTypes;
using Tracker.Api.V1Alpha1;

namespace Tracker.Events.Postgres.Tests;

/// <summary>
/// A schema as the store left it at migration version 2, with rows written as that store wrote
/// them: the columns version 2 had, and nothing of what version 3 adds.
/// </summary>
internal static class VersionTwoDatabase
{
    private static readonly string[] Columns =
    [
        "created_at_us", "event_time_us", "priority", "type", "status", "environment", "impact",
        "service", "source", "owner", "etag", "document",
    ];

    public static async Task CreateAsync(TestSchema schema, IReadOnlyList<Event> rows)
    {
        await using var dataSource = NpgsqlDataSource.Create(schema.ConnectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, transaction, """
            CREATE TABLE schema_migrations (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """);
        foreach (var migration in PostgresMigrations.All.Where(m => m.Version <= 2))
        {
            await ExecuteAsync(connection, transaction, migration.Sql);
            await ExecuteAsync(connection, transaction, $"INSERT INTO schema_migrations (version, name) VALUES ({migration.Version}, 'version {migration.Version}')");
        }

        // The values as version 2 computed them, which are what PostgresEventRow still computes for these columns.
        var columns = PostgresEventRow.Columns.Where(c => Columns.Contains(c.Name)).ToArray();
        var arguments = string.Join(", ", columns.Select((c, i) => $"${i + 2}::{c.SqlType}[]"));
        await using var insert = new NpgsqlCommand(
            $"INSERT INTO events (id, {string.Join(", ", columns.Select(c => c.Name))}) SELECT * FROM unnest($1::text[], {arguments})",
            connection,
            transaction);
        insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(e => e.Id).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        foreach (var column in columns)
        {
            insert.Parameters.Add(column.Values(rows));
        }

        await insert.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    /// <summary>Applies one migration's schema change alone, as the migrator's first step does.</summary>
    public static async Task ApplyAsync(TestSchema schema, PostgresMigration migration)
    {
        await using var dataSource = NpgsqlDataSource.Create(schema.ConnectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, transaction, migration.Sql);
        await ExecuteAsync(connection, transaction, $"INSERT INTO schema_migrations (version, name) VALUES ({migration.Version}, 'version {migration.Version}')");
        await transaction.CommitAsync();
    }

    /// <summary>
    /// <paramref name="count"/> varied events, three to a created_at (so the id breaks ties), in
    /// shuffled order: labels, resources, lists, words and dates set on some and not others.
    /// </summary>
    public static List<Event> Events(int count, int seed = 11)
    {
        var random = new Random(seed);
        string[] words = ["deploy", "rollback", "incident", "Привет", "東京", "café", "disk", "quota"];
        var start = new DateTimeOffset(2023, 6, 1, 0, 0, 0, TimeSpan.Zero);
        var events = new List<Event>(count);
        for (var i = 0; i < count; i++)
        {
            var created = start.AddSeconds(i / 3);
            var attributes = new EventAttributes
            {
                Type = (Api.V1Alpha1.Type)(1 + (i % 5)),
                Service = "svc-" + (i % 17),
                Priority = (Priority)(i % 6),
                Severity = (Severity)(i % 5),
                Message = $"{words[random.Next(words.Length)]} number {i}",
                Code = i % 7 == 0 ? i : 0,
                Notification = i % 2 == 0,
            };
            if (i % 3 == 0)
            {
                attributes.StartDate = Timestamp.FromDateTimeOffset(created.AddMinutes(-random.Next(600)));
            }

            if (i % 4 == 0)
            {
                attributes.EndDate = Timestamp.FromDateTimeOffset(created.AddMinutes(30));
            }

            if (i % 5 == 0)
            {
                attributes.Labels.Add("team", "team-" + (i % 3));
            }

            if (i % 6 == 0)
            {
                attributes.StakeHolders.Add(["ops", "team-" + (i % 4)]);
                attributes.Resources.Add(new ResourceRef { Kind = "Pod", Name = "pod-" + i, Namespace = i % 12 == 0 ? "" : "prod" });
            }

            var timestamp = Timestamp.FromDateTimeOffset(created);
            events.Add(new Event
            {
                Id = Guid.CreateVersion7(created).ToString(),
                Title = $"{words[random.Next(words.Length)]} {i}",
                Attributes = attributes,
                CreatedAt = timestamp,
                UpdatedAt = timestamp,
                Etag = Guid.NewGuid().ToString("N"),
            });
        }

        return events.OrderBy(_ => random.Next()).ToList();
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync();
    }
}
