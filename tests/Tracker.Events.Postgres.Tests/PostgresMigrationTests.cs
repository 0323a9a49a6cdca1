using Tracker.Events.Storage;
using Xunit;

namespace Tracker.Events.Postgres.Tests;

public sealed class PostgresMigrationTests : IAsyncLifetime
{
    private TestSchema _schema = null!;

    public async Task InitializeAsync() => _schema = await TestPostgres.CreateSchemaAsync();

    public async Task DisposeAsync() => await _schema.DisposeAsync();

    [Fact]
    public async Task MigrateAsync_RunTwice_AppliesEachVersionOnce()
    {
        var store = _schema.CreateStore();

        await store.MigrateAsync(CancellationToken.None).WaitAsync(TestPostgres.Timeout);
        await store.MigrateAsync(CancellationToken.None).WaitAsync(TestPostgres.Timeout);

        Assert.Equal(PostgresMigrations.All.Count, await CountAsync("schema_migrations"));
        Assert.Equal(
            PostgresMigrations.All.Count,
            await TestPostgres.ScalarAsync<long>($"SELECT count(DISTINCT version) FROM {_schema.Name}.schema_migrations"));
    }

    [Fact]
    public async Task MigrateAsync_NewSchema_IsAtVersionEightWithTheSearchIndexesTheChangeLogTheExpiryIndexAndTheNotificationTables()
    {
        await _schema.CreateStore().MigrateAsync(CancellationToken.None).WaitAsync(TestPostgres.Timeout);

        Assert.Equal(8, PostgresMigrations.All.Max(m => m.Version));
        Assert.Equal(36L, await TestPostgres.ScalarAsync<long>($"SELECT sum(version) FROM {_schema.Name}.schema_migrations"));
        Assert.Equal(5L, await TestPostgres.ScalarAsync<long>(
            $"SELECT count(*) FROM pg_tables WHERE schemaname = '{_schema.Name}' AND tablename IN ('event_changes', 'folded_requests', 'channels', 'notification_router', 'deliveries')"));
        string[] searchIndexes = ["events_seq", "events_words", "events_labels", "events_resources", "events_stake_holders", "events_notifications", "events_arguments", "events_time_severity", "events_aggregation_key", "events_expiry_type_updated_at", "events_service_search_words", "events_long_search_words"];
        Assert.Equal(searchIndexes.Length, await TestPostgres.ScalarAsync<long>(
            $"SELECT count(*) FROM pg_indexes WHERE schemaname = '{_schema.Name}' AND indexname IN ({string.Join(", ", searchIndexes.Select(i => $"'{i}'"))})"));
    }

    [Fact]
    public async Task MigrateAsync_SeveralStoresAtOnce_AllSucceedAndApplyEachVersionOnce()
    {
        var stores = Enumerable.Range(0, 6).Select(_ => _schema.CreateStore()).ToList();

        await Task.WhenAll(stores.Select(s => s.MigrateAsync(CancellationToken.None))).WaitAsync(TestPostgres.Timeout);

        Assert.Equal(PostgresMigrations.All.Count, await CountAsync("schema_migrations"));
        var created = await stores[0].CreateAsync(TestEvents.New(), null, CancellationToken.None).WaitAsync(TestPostgres.Timeout);
        var seen = await stores[^1].GetAsync(created.Id, CancellationToken.None).WaitAsync(TestPostgres.Timeout);
        Assert.Equal(created, seen);
    }

    [Fact]
    public async Task MigrateAsync_SearchPath_CreatesTablesInThatSchemaOnly()
    {
        var store = _schema.CreateStore();

        await store.MigrateAsync(CancellationToken.None).WaitAsync(TestPostgres.Timeout);
        await store.CreateAsync(TestEvents.New(), null, CancellationToken.None).WaitAsync(TestPostgres.Timeout);

        Assert.Equal(1, await CountAsync("events"));
        Assert.Equal(0L, await TestPostgres.ScalarAsync<long>(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('events', 'schema_migrations')"));
    }

    [Fact]
    public async Task MigrateAsync_SchemaMissing_CreatesIt()
    {
        var missing = _schema.Name + "_new";
        var store = new TestSchema(missing, TestPostgres.WithSearchPath(TestPostgres.ConnectionString, missing));
        await using (store)
        {
            await store.CreateStore().MigrateAsync(CancellationToken.None).WaitAsync(TestPostgres.Timeout);

            Assert.Equal(0L, await TestPostgres.ScalarAsync<long>($"SELECT count(*) FROM {missing}.events"));
        }
    }

    [Fact]
    public async Task CreateAsync_BeforeMigrate_IsNotReportedAsUnavailable()
    {
        // A missing table is a deployment bug, not an outage: it must not read as "retry later".
        var store = _schema.CreateStore();

        var error = await Record.ExceptionAsync(() => store.CreateAsync(TestEvents.New(), null, CancellationToken.None).WaitAsync(TestPostgres.Timeout));

        Assert.NotNull(error);
        Assert.IsNotType<StoreUnavailableException>(error);
    }

    private Task<long> CountAsync(string table) =>
        TestPostgres.ScalarAsync<long>($"SELECT count(*) FROM {_schema.Name}.{table}");
}
