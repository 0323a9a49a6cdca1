using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;
using Tracker.Events.Tests.Support;

namespace Tracker.Events.Sqlite.Tests;

/// <summary>
/// A database made before migration 3 (steps 1 and 2 only, rows written with the columns of
/// that release) is migrated: its rows get seqs in (created_at, id) order and become searchable
/// by every field, in resumable batches, with a progress line.
/// </summary>
public sealed class SqliteSearchBackfillTests : IDisposable
{
    private static readonly DateTimeOffset Base = new(2024, 5, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempSqliteDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task MigrateAsync_DatabaseOfStepTwo_IndexesEveryRowInCreatedAtThenIdOrderAndLogsProgress()
    {
        // Written out of order, two sharing created_at: the seqs follow (created_at, id), not the rowid.
        var events = new[] { Old(3, "Third: rollback"), Old(1, "First deploy"), Old(2, "Second b"), Old(2, "Second a"), Old(4, "Fourth") };
        await CreateStepTwoDatabaseAsync(events);
        var logs = new ListLoggerProvider();
        await using var provider = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(logs))
            .AddSqliteEventStore(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Sqlite"] = _database.ConnectionString }).Build())
            .BuildServiceProvider();
        var store = provider.GetRequiredService<IEventStore>();

        await store.MigrateAsync(CancellationToken.None).Bounded();

        var inOrder = events.OrderBy(e => EventKeys.CreatedAtMicros(e)).ThenBy(e => e.Id, StringComparer.Ordinal).ToArray();
        var seqs = new List<long?>();
        foreach (var e in inOrder)
        {
            seqs.Add(await store.FindSequenceAsync(e.Id, CancellationToken.None).Bounded());
        }

        Assert.Equal([1L, 2L, 3L, 4L, 5L], seqs);
        Assert.Contains("Indexing 5 events for search: 0 of 5", logs.Messages);
        Assert.Contains("Indexing 5 events for search: 5 of 5", logs.Messages);
    }

    [Fact]
    public async Task MigrateAsync_DatabaseOfStepTwo_RowsAreFoundByTheNewFields()
    {
        var events = new[] { Old(1, "Deploy checkout"), Old(2, "Incident payments"), Old(3, "Drift vpc") };
        await CreateStepTwoDatabaseAsync(events);
        using var store = new SqliteEventStore(_database.ConnectionString);

        await store.MigrateAsync(CancellationToken.None).Bounded();

        Assert.Equal([events[1].Id], await IdsAsync(store, new EventCriteria(new Comparison(EventField.Labels, Comparator.Equal, FilterValue.Of("2"), "n"), [])));
        Assert.Equal([events[2].Id], await IdsAsync(store, new EventCriteria(new AllOf([]), ["drift"])));
        Assert.Equal([events[0].Id], await IdsAsync(store, new EventCriteria(new Comparison(EventField.Title, Comparator.Prefix, FilterValue.Of("Deploy")), [])));
        Assert.Equal([events[2].Id], await IdsAsync(store, new EventCriteria(new Comparison(EventField.Severity, Comparator.Equal, FilterValue.Of(3)), [])));
        Assert.Equal([events[1].Id], await IdsAsync(store, new EventCriteria(new Comparison(EventField.ResourceName, Comparator.Equal, FilterValue.Of("r2")), [])));
        Assert.Equal([events[0].Id], await IdsAsync(store, new EventCriteria(new Comparison(EventField.StakeHolders, Comparator.Equal, FilterValue.Of("sh1")), [])));
        Assert.Equal([events[2].Id], await IdsAsync(store, new EventCriteria(new Comparison(EventField.UpdatedAt, Comparator.Greater, FilterValue.Of(EventKeys.ToMicros(Base.AddHours(3)))), [])));
        Assert.Equal(3, (await store.QueryAsync(new EventQuery(new EventCriteria(new Presence(EventField.EndDate), []), EventOrder.NewestFirst, 10), CancellationToken.None).Bounded()).TotalCount);
        await SqliteSearchInvariants.AssertInStepAsync(_database.ConnectionString);
    }

    [Fact]
    public async Task MigrateAsync_EventsCreatedAfterTheBackfill_FollowTheIndexedRows()
    {
        await CreateStepTwoDatabaseAsync([Old(1, "a"), Old(2, "b")]);
        using var store = new SqliteEventStore(_database.ConnectionString);
        await store.MigrateAsync(CancellationToken.None).Bounded();
        var created = Old(0, "created after");

        await store.CreateAsync(created, null, CancellationToken.None).Bounded();

        Assert.Equal(3, await store.FindSequenceAsync(created.Id, CancellationToken.None).Bounded());
    }

    [Fact]
    public async Task MigrateAsync_NothingToIndex_LogsNothing()
    {
        var logs = new ListLoggerProvider();
        using var store = new SqliteEventStore(_database.ConnectionString, new LoggerFactory([logs]).CreateLogger<SqliteEventStore>());

        await store.MigrateAsync(CancellationToken.None).Bounded();
        await store.CreateAsync(Old(1, "new"), null, CancellationToken.None).Bounded();
        await store.MigrateAsync(CancellationToken.None).Bounded();

        Assert.Empty(logs.Messages);
    }

    [Fact]
    public async Task RunAsync_InterruptedAfterOneBatch_NextMigrationCarriesOnInOrder()
    {
        var events = Enumerable.Range(1, 5).Select(i => Old(i, $"event {i}")).ToArray();
        await CreateStepTwoDatabaseAsync(events);
        await ApplyMigrationsWithoutBackfillAsync();
        using var cancel = new CancellationTokenSource();
        var transactions = 0;
        SqliteWrite<int> write = async work =>
        {
            await using var connection = new SqliteConnection(_database.ConnectionString);
            await connection.OpenAsync();
            await using var transaction = connection.BeginTransaction(deferred: false);
            var result = await work(connection, transaction);
            await transaction.CommitAsync();

            // The first transaction counts; the second indexes one batch; then the process "stops".
            if (++transactions == 2)
            {
                await cancel.CancelAsync();
            }

            return result;
        };
        var backfill = new SqliteSearchBackfill(NullLogger.Instance, batchSize: 2, progressInterval: TimeSpan.Zero);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => backfill.RunAsync(write, cancel.Token).Bounded());
        var afterInterruption = await SequencesAsync(events);
        using var store = new SqliteEventStore(_database.ConnectionString);
        await store.MigrateAsync(CancellationToken.None).Bounded();

        Assert.Equal([1L, 2L, null, null, null], afterInterruption);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], await SequencesAsync(events));
        await SqliteSearchInvariants.AssertInStepAsync(_database.ConnectionString);
    }

    /// <summary>An event as the release before migration 3 stored it, with a field of each new kind set.</summary>
    private static Event Old(double hours, string title)
    {
        var created = Base.AddHours(hours);
        var n = ((int)hours).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new Event
        {
            Title = title,
            Id = Guid.CreateVersion7(created).ToString(),
            CreatedAt = Timestamp.FromDateTimeOffset(created),
            UpdatedAt = Timestamp.FromDateTimeOffset(created.AddMinutes(30)),
            Etag = Guid.NewGuid().ToString("N"),
            Attributes = new EventAttributes
            {
                Type = Api.V1Alpha1.Type.Deployment,
                Service = "svc",
                Message = "message " + n,
                Severity = (Severity)((int)hours % 5),
                EndDate = Timestamp.FromDateTimeOffset(created.AddHours(1)),
                StakeHolders = { "sh" + n },
                Resources = { new ResourceRef { Kind = "Pod", Name = "r" + n } },
                Labels = { ["n"] = n },
            },
        };
    }

    /// <summary>The schema of steps 1 and 2 and the rows that release wrote: its own INSERT and columns.</summary>
    private async Task CreateStepTwoDatabaseAsync(IEnumerable<Event> events)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_database.FilePath)!);
        await using var connection = new SqliteConnection(_database.ConnectionString + ";Pooling=False");
        await connection.OpenAsync();
        await ExecuteAsync(connection, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE schema_migrations (
                version    INTEGER NOT NULL PRIMARY KEY,
                name       TEXT    NOT NULL,
                applied_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
            );
            """);
        foreach (var migration in SqliteMigrations.All.Where(m => m.Version <= 2))
        {
            await ExecuteAsync(connection, migration.Sql);
            await ExecuteAsync(connection, $"INSERT INTO schema_migrations (version, name) VALUES ({migration.Version}, 'step')");
        }

        foreach (var e in events)
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO events (id, request_id, created_at_us, event_time_us, priority, type, status, environment, impact, service, source, owner, etag, doc)
                VALUES ($id, NULL, $created_at_us, $event_time_us, $priority, $type, $status, $environment, $impact, $service, $source, $owner, $etag, $doc)
                """;
            var a = e.Attributes;
            insert.Parameters.AddWithValue("$id", e.Id);
            insert.Parameters.AddWithValue("$created_at_us", EventKeys.CreatedAtMicros(e));
            insert.Parameters.AddWithValue("$event_time_us", EventKeys.EventTimeMicros(e));
            insert.Parameters.AddWithValue("$priority", (int)a.Priority);
            insert.Parameters.AddWithValue("$type", (int)a.Type);
            insert.Parameters.AddWithValue("$status", (int)a.Status);
            insert.Parameters.AddWithValue("$environment", (int)a.Environment);
            insert.Parameters.AddWithValue("$impact", (int)a.Impact);
            insert.Parameters.AddWithValue("$service", a.Service);
            insert.Parameters.AddWithValue("$source", a.Source);
            insert.Parameters.AddWithValue("$owner", a.Owner);
            insert.Parameters.AddWithValue("$etag", e.Etag);
            insert.Parameters.AddWithValue("$doc", e.ToByteArray());
            await insert.ExecuteNonQueryAsync();
        }
    }

    private async Task ApplyMigrationsWithoutBackfillAsync()
    {
        await using var connection = new SqliteConnection(_database.ConnectionString + ";Pooling=False");
        await connection.OpenAsync();
        await using var transaction = connection.BeginTransaction(deferred: false);
        await SqliteMigrator.ApplySchemaChangesAsync(connection, transaction, CancellationToken.None);
        await transaction.CommitAsync();
    }

    private async Task<long?[]> SequencesAsync(IEnumerable<Event> events)
    {
        await using var connection = new SqliteConnection(_database.ConnectionString + ";Pooling=False");
        await connection.OpenAsync();
        var seqs = new List<long?>();
        foreach (var e in events)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = "SELECT seq FROM events WHERE id = $id";
            select.Parameters.AddWithValue("$id", e.Id);
            seqs.Add(await select.ExecuteScalarAsync() as long?);
        }

        return [.. seqs];
    }

    private static async Task<string[]> IdsAsync(IEventStore store, EventCriteria criteria) =>
        (await store.QueryAsync(new EventQuery(criteria, EventOrder.NewestFirst, 10), CancellationToken.None).Bounded()).Events.Select(e => e.Id).ToArray();

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
