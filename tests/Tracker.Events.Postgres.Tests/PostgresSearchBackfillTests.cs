using Npgsql;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;
using Xunit;

namespace Tracker.Events.Postgres.Tests;

/// <summary>
/// Migrating a database created at version 2, with rows in it, to version 3: the rows get
/// every new column, computed from their documents exactly as an insert computes them, and a
/// seq in (created_at, id) order, in batches that survive an interruption.
/// </summary>
public sealed class PostgresSearchBackfillTests : IAsyncLifetime
{
    private const int RowCount = 2_500;

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    private readonly List<Event> _events = VersionTwoDatabase.Events(RowCount);
    private TestSchema _schema = null!;

    public async Task InitializeAsync()
    {
        _schema = await TestPostgres.CreateSchemaAsync();
        await VersionTwoDatabase.CreateAsync(_schema, _events);
    }

    public async Task DisposeAsync() => await _schema.DisposeAsync();

    [Fact]
    public async Task MigrateAsync_VersionTwoRows_GetTheColumnsAnInsertWrites()
    {
        await _schema.CreateStore().MigrateAsync(CancellationToken.None).WaitAsync(Limit);

        // The same events written through a version 3 store, for comparison.
        await using var inserted = await TestPostgres.CreateSchemaAsync();
        var store = inserted.CreateStore();
        await store.MigrateAsync(CancellationToken.None).WaitAsync(TestPostgres.Timeout);
        await Task.WhenAll(_events.Select(e => store.CreateAsync(e, null, CancellationToken.None))).WaitAsync(Limit);

        var columns = "id, " + PostgresEventRow.ColumnList();
        Assert.Equal(0L, await TestPostgres.ScalarAsync<long>(
            $"SELECT count(*) FROM (SELECT {columns} FROM {_schema.Name}.events EXCEPT SELECT {columns} FROM {inserted.Name}.events) AS differing"));
        Assert.Equal(0L, await TestPostgres.ScalarAsync<long>(
            $"SELECT count(*) FROM (SELECT {columns} FROM {inserted.Name}.events EXCEPT SELECT {columns} FROM {_schema.Name}.events) AS differing"));
        Assert.Equal((long)RowCount, await TestPostgres.ScalarAsync<long>($"SELECT count(*) FROM {_schema.Name}.events"));
    }

    [Fact]
    public async Task MigrateAsync_VersionTwoRows_AreNumberedInCreatedAtThenIdOrderBeforeNewEvents()
    {
        var store = _schema.CreateStore();

        await store.MigrateAsync(CancellationToken.None).WaitAsync(Limit);
        var numbered = await SequencesInCreatedAtOrderAsync();
        var created = await store.CreateAsync(TestEvents.New(), null, CancellationToken.None).WaitAsync(TestPostgres.Timeout);

        Assert.Equal(Enumerable.Range(1, RowCount).Select(n => (long)n), numbered);
        Assert.Equal(RowCount + 1, await store.FindSequenceAsync(created.Id, CancellationToken.None).WaitAsync(TestPostgres.Timeout));
    }

    [Fact]
    public async Task MigrateAsync_VersionTwoRows_LogProgressFromNoneToAll()
    {
        var logger = new RecordingLogger<PostgresEventStore>();

        await _schema.CreateStore(logger).MigrateAsync(CancellationToken.None).WaitAsync(Limit);
        await _schema.CreateStore(logger).MigrateAsync(CancellationToken.None).WaitAsync(Limit);

        var progress = logger.Messages.Where(m => m.StartsWith("Indexing", StringComparison.Ordinal)).ToArray();
        Assert.Equal("Indexing 2,500 events for search: 0 of 2,500", progress[0]);
        Assert.Equal("Indexing 2,500 events for search: 2,500 of 2,500", progress[^1]);
        Assert.Contains(logger.Messages, m => m.StartsWith("Applied PostgreSQL migration 3 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MigrateAsync_InterruptedBackfill_NextRunCarriesOnWhereItStopped()
    {
        // Interrupted after the schema changes, the backfill starts from a database at the latest
        // version whose old rows have no seq; a transaction holding the 1,001st of them in the
        // backfill's order stops it after one batch.
        foreach (var migration in PostgresMigrations.All.Where(m => m.Version > 2))
        {
            await VersionTwoDatabase.ApplyAsync(_schema, migration);
        }

        var blocked = _events.OrderBy(e => EventKeys.CreatedAtMicros(e)).ThenBy(e => e.Id, StringComparer.Ordinal).ElementAt(PostgresSearchBackfill.BatchSize);
        await using var dataSource = NpgsqlDataSource.Create(_schema.ConnectionString);
        await using var blocker = await dataSource.OpenConnectionAsync();
        await using var holding = await blocker.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM events WHERE id = $1 FOR UPDATE", blocker, holding))
        {
            lockRow.Parameters.Add(PostgresEventRow.Text(blocked.Id));
            await lockRow.ExecuteNonQueryAsync();
        }

        using var stop = new CancellationTokenSource();
        var first = _schema.CreateStore().MigrateAsync(stop.Token);
        await WaitUntilAsync(async () => await CountNumberedAsync() == PostgresSearchBackfill.BatchSize);
        var numberedFirst = await SequencesByIdAsync();
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.WaitAsync(Limit));
        await holding.RollbackAsync();

        var logger = new RecordingLogger<PostgresEventStore>();
        await _schema.CreateStore(logger).MigrateAsync(CancellationToken.None).WaitAsync(Limit);

        Assert.Equal(PostgresSearchBackfill.BatchSize, numberedFirst.Count);
        var numbered = await SequencesByIdAsync();
        Assert.All(numberedFirst, pair => Assert.Equal(pair.Value, numbered[pair.Key]));
        Assert.Equal(Enumerable.Range(1, RowCount).Select(n => (long)n), await SequencesInCreatedAtOrderAsync());
        Assert.Equal("Indexing 1,500 events for search: 0 of 1,500", logger.Messages.First(m => m.StartsWith("Indexing", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task MigrateAsync_SeveralReplicasAtOnce_NumberEveryRowOnceInOrder()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => _schema.CreateStore()).ToArray();

        await Task.WhenAll(stores.Select(s => s.MigrateAsync(CancellationToken.None))).WaitAsync(Limit);

        Assert.Equal(Enumerable.Range(1, RowCount).Select(n => (long)n), await SequencesInCreatedAtOrderAsync());
        Assert.Equal((long)PostgresMigrations.All.Count, await TestPostgres.ScalarAsync<long>($"SELECT count(*) FROM {_schema.Name}.schema_migrations"));
    }

    [Fact]
    public async Task QueryAsync_AfterBackfill_FindsVersionTwoRowsByTheirNewColumns()
    {
        var store = _schema.CreateStore();
        await store.MigrateAsync(CancellationToken.None).WaitAsync(Limit);
        var expected = _events.Where(e => e.Attributes.Labels.TryGetValue("team", out var team) && team == "team-0" && e.Attributes.StakeHolders.Contains("ops")).Select(e => e.Id).Order(StringComparer.Ordinal).ToArray();

        var criteria = new EventCriteria(Expressions.And(Expressions.Label("team", Comparator.Equal, "team-0"), Expressions.Text(EventField.StakeHolders, Comparator.Equal, "ops")), []);
        var page = await store.QueryAsync(new EventQuery(criteria, EventOrder.CommitOrder, Limit: RowCount), CancellationToken.None).WaitAsync(TestPostgres.Timeout);

        Assert.NotEmpty(expected);
        Assert.Equal(expected, page.Events.Select(e => e.Id).Order(StringComparer.Ordinal));
    }

    private async Task<List<long>> SequencesInCreatedAtOrderAsync()
    {
        var sequences = new List<long>();
        await using var dataSource = NpgsqlDataSource.Create(_schema.ConnectionString);
        await using var select = dataSource.CreateCommand("SELECT seq FROM events ORDER BY created_at_us, id");
        await using var reader = await select.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            sequences.Add(reader.GetInt64(0));
        }

        return sequences;
    }

    private async Task<Dictionary<string, long>> SequencesByIdAsync()
    {
        var sequences = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var dataSource = NpgsqlDataSource.Create(_schema.ConnectionString);
        await using var select = dataSource.CreateCommand("SELECT id, seq FROM events WHERE seq IS NOT NULL");
        await using var reader = await select.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            sequences.Add(reader.GetString(0), reader.GetInt64(1));
        }

        return sequences;
    }

    private Task<long> CountNumberedAsync() =>
        TestPostgres.ScalarAsync<long>($"SELECT count(*) FROM {_schema.Name}.events WHERE seq IS NOT NULL");

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold in time.");
            await Task.Delay(20);
        }
    }
}
