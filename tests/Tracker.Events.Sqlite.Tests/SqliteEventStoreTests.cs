using Google.Protobuf.WellKnownTypes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Notifications;
using Tracker.Events.Storage;
using Tracker.Events.Tests.Support;
using Xunit;

namespace Tracker.Events.Sqlite.Tests;

/// <summary>What only the SQLite store does: its file, schema, journal and failure mapping.</summary>
public sealed class SqliteEventStoreTests : IDisposable
{
    private readonly TempSqliteDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task MigrateAsync_DirectoryMissing_CreatesDirectoryAndDatabase()
    {
        using var store = new SqliteEventStore(_database.ConnectionString);
        Assert.False(Directory.Exists(Path.GetDirectoryName(_database.FilePath)));

        await store.MigrateAsync(CancellationToken.None).Bounded();

        Assert.True(File.Exists(_database.FilePath));
    }

    [Fact]
    public async Task MigrateAsync_RunTwice_RecordsEachMigrationOnce()
    {
        using var store = new SqliteEventStore(_database.ConnectionString);

        await store.MigrateAsync(CancellationToken.None).Bounded();
        await store.MigrateAsync(CancellationToken.None).Bounded();

        var versions = await ReadColumnAsync<long>("SELECT version FROM schema_migrations ORDER BY version");
        Assert.Equal(SqliteMigrations.All.Select(m => (long)m.Version), versions);
    }

    [Fact]
    public async Task MigrateAsync_TwoStoresOnOneFileAtOnce_AppliesEachMigrationOnce()
    {
        using var first = new SqliteEventStore(_database.ConnectionString);
        using var second = new SqliteEventStore(_database.ConnectionString);

        await Task.WhenAll(
            Task.Run(() => first.MigrateAsync(CancellationToken.None)),
            Task.Run(() => second.MigrateAsync(CancellationToken.None))).Bounded();

        var versions = await ReadColumnAsync<long>("SELECT version FROM schema_migrations ORDER BY version");
        Assert.Equal(SqliteMigrations.All.Select(m => (long)m.Version), versions);
    }

    [Fact]
    public async Task MigrateAsync_NewDatabase_UsesWriteAheadLog()
    {
        using var store = new SqliteEventStore(_database.ConnectionString);

        await store.MigrateAsync(CancellationToken.None).Bounded();

        Assert.Equal(["wal"], await ReadColumnAsync<string>("PRAGMA journal_mode"));
    }

    [Fact]
    public async Task MigrateAsync_NewDatabase_CreatesAnIndexPerSortOrderAndFilter()
    {
        using var store = new SqliteEventStore(_database.ConnectionString);

        await store.MigrateAsync(CancellationToken.None).Bounded();

        var indexes = await ReadColumnAsync<string>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL");
        Assert.Contains("events_by_created_at", indexes);
        Assert.Contains("events_by_event_time", indexes);
        Assert.Contains("events_by_priority", indexes);
        Assert.Contains("events_by_service_time", indexes);
        Assert.Contains("events_by_service_type_time", indexes);
    }

    [Fact]
    public async Task Build_ServiceTypeAndWeekSearch_ReadsTheCoveringIndexAndOnlyThePageRows()
    {
        using var store = new SqliteEventStore(_database.ConnectionString);
        await store.MigrateAsync(CancellationToken.None).Bounded();
        var week = DateTimeOffset.Parse("2025-06-02T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var query = new EventQuery(
            new EventFilter { Service = "checkout", Type = Api.V1Alpha1.Type.Deployment, From = week, To = week.AddDays(7) }.ToCriteria(),
            EventOrder.NewestFirst,
            Limit: 50);
        await using var connection = new SqliteConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var count = connection.CreateCommand();
        await using var page = connection.CreateCommand();
        SqlitePageQuery.Build(query, count, page);

        var countPlan = await PlanAsync(count);
        var pagePlan = await PlanAsync(page);

        Assert.Contains("COVERING INDEX events_by_service_type_time", countPlan);
        Assert.Contains("COVERING INDEX events_by_service_type_time", pagePlan);
        Assert.Contains("INTEGER PRIMARY KEY (rowid=?)", pagePlan);
    }

    private static async Task<string> PlanAsync(SqliteCommand command)
    {
        var sql = command.CommandText;
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(3));
            }
        }

        command.CommandText = sql;
        return string.Join("\n", plan);
    }

    [Fact]
    public async Task OpenAsync_AnyConnection_HasFullSyncAndABusyTimeout()
    {
        var factory = new SqliteConnectionFactory(_database.ConnectionString);

        await using var connection = await factory.OpenAsync(CancellationToken.None).Bounded();

        await AssertSettingsAsync(connection);
    }

    [Fact]
    public async Task OpenAsync_PooledAndNewConnections_AllHaveTheSettings()
    {
        var factory = new SqliteConnectionFactory(_database.ConnectionString);
        await using (var first = await factory.OpenAsync(CancellationToken.None).Bounded())
        {
            await AssertSettingsAsync(first);
        }

        // The pooled handle again, and a second one opened while it is in use.
        await using var reused = await factory.OpenAsync(CancellationToken.None).Bounded();
        await using var concurrent = await factory.OpenAsync(CancellationToken.None).Bounded();

        await AssertSettingsAsync(reused);
        await AssertSettingsAsync(concurrent);
        Assert.NotSame(reused.Handle, concurrent.Handle);
    }

    [Fact]
    public async Task CreateAsync_EventStored_ColumnsHoldItsIndexedValues()
    {
        using var store = new SqliteEventStore(_database.ConnectionString);
        await store.MigrateAsync(CancellationToken.None).Bounded();
        var start = new DateTimeOffset(2024, 3, 1, 8, 0, 0, TimeSpan.Zero);
        var e = new Event
        {
            Id = Guid.CreateVersion7().ToString(),
            Title = "t",
            Etag = "etag-1",
            CreatedAt = Timestamp.FromDateTimeOffset(start.AddDays(1)),
            UpdatedAt = Timestamp.FromDateTimeOffset(start.AddDays(1)),
            Attributes = new EventAttributes { Type = Api.V1Alpha1.Type.Drift, Service = "vpc", Priority = Priority.P3, StartDate = Timestamp.FromDateTimeOffset(start) },
        };

        await store.CreateAsync(e, "req", CancellationToken.None).Bounded();

        var row = await ReadColumnAsync<string>("SELECT request_id || '|' || created_at_us || '|' || event_time_us || '|' || priority || '|' || type || '|' || service || '|' || etag FROM events");
        Assert.Equal([$"req|{EventKeys.ToMicros(start.AddDays(1))}|{EventKeys.ToMicros(start)}|3|3|vpc|etag-1"], row);
    }

    [Fact]
    public async Task MigrateAsync_FileIsNotADatabase_ThrowsStoreUnavailable()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_database.FilePath)!);
        await File.WriteAllTextAsync(_database.FilePath, new string('x', 4096)).Bounded();
        using var store = new SqliteEventStore(_database.ConnectionString);

        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.MigrateAsync(CancellationToken.None).Bounded());
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.GetAsync("id", CancellationToken.None).Bounded());
        Assert.False(await store.IsReachableAsync(CancellationToken.None).Bounded());
    }

    [Fact]
    public async Task MigrateAsync_DirectoryCannotBeCreated_ThrowsStoreUnavailable()
    {
        // A regular file where a directory of the path should be.
        Directory.CreateDirectory(_database.Directory);
        var blocker = Path.Combine(_database.Directory, "blocker");
        await File.WriteAllTextAsync(blocker, "not a directory").Bounded();
        using var store = new SqliteEventStore($"Data Source={Path.Combine(blocker, "db", "tracker.db")}");

        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.MigrateAsync(CancellationToken.None).Bounded());
        Assert.False(await store.IsReachableAsync(CancellationToken.None).Bounded());
    }

    [Fact]
    public async Task CreateAsync_AnotherProcessHoldsTheWriteLock_ThrowsStoreUnavailable()
    {
        var connectionString = _database.ConnectionString + ";Default Timeout=1";
        using var store = new SqliteEventStore(connectionString);
        await store.MigrateAsync(CancellationToken.None).Bounded();
        await using var holder = new SqliteConnection(_database.ConnectionString + ";Pooling=False");
        await holder.OpenAsync().Bounded();
        await using var lockCommand = holder.CreateCommand();
        lockCommand.CommandText = "BEGIN IMMEDIATE";
        await lockCommand.ExecuteNonQueryAsync().Bounded();

        var e = new Event
        {
            Id = Guid.CreateVersion7().ToString(),
            Title = "t",
            Etag = "e",
            CreatedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch),
            Attributes = new EventAttributes { Type = Api.V1Alpha1.Type.Deployment, Service = "s" },
        };

        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.CreateAsync(e, null, CancellationToken.None).Bounded());

        lockCommand.CommandText = "ROLLBACK";
        await lockCommand.ExecuteNonQueryAsync().Bounded();
        Assert.Equal(e, await store.CreateAsync(e, null, CancellationToken.None).Bounded());
    }

    [Fact]
    public async Task GetAsync_CancelledToken_ThrowsOperationCanceled()
    {
        using var store = new SqliteEventStore(_database.ConnectionString);
        await store.MigrateAsync(CancellationToken.None).Bounded();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.GetAsync("id", new CancellationToken(canceled: true)).Bounded());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.DeleteAsync("id", null, new CancellationToken(canceled: true)).Bounded());
    }

    [Fact]
    public async Task AddSqliteEventStore_ConnectionStringConfigured_StoreUsesThatFile()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Sqlite"] = _database.ConnectionString })
            .Build();
        var services = new ServiceCollection();

        services.AddSqliteEventStore(configuration);
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<IEventStore>();
        await store.MigrateAsync(CancellationToken.None).Bounded();

        Assert.IsType<SqliteEventStore>(store);
        Assert.True(File.Exists(_database.FilePath));
    }

    [Fact]
    public async Task AddSqliteEventStore_ConnectionStringConfigured_RegistersOneNotificationStoreInTheSameFile()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Sqlite"] = _database.ConnectionString })
            .Build();
        var services = new ServiceCollection();

        services.AddSqliteEventStore(configuration);
        await using var provider = services.BuildServiceProvider();
        var notifications = provider.GetRequiredService<INotificationStore>();
        await notifications.MigrateAsync(CancellationToken.None).Bounded();

        Assert.Same(notifications, provider.GetRequiredService<INotificationStore>());
        Assert.True(await notifications.RouteAsync(0, 1, [], CancellationToken.None).Bounded());
        Assert.Equal([1L], await ReadColumnAsync<long>("SELECT routed_through FROM notification_router"));
    }

    private async Task<List<T>> ReadColumnAsync<T>(string sql)
    {
        await using var connection = new SqliteConnection(_database.ConnectionString + ";Pooling=False");
        await connection.OpenAsync().Bounded();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var values = new List<T>();
        await using var reader = await command.ExecuteReaderAsync().Bounded();
        while (await reader.ReadAsync().Bounded())
        {
            values.Add(reader.GetFieldValue<T>(0));
        }

        return values;
    }

    private static async Task AssertSettingsAsync(SqliteConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous";
        var synchronous = await command.ExecuteScalarAsync().Bounded();
        command.CommandText = "PRAGMA busy_timeout";
        var busyTimeout = await command.ExecuteScalarAsync().Bounded();

        Assert.Equal(2L, synchronous); // FULL
        Assert.Equal((long)SqliteConnectionFactory.MaxBusyTimeoutMilliseconds, busyTimeout);
    }
}
