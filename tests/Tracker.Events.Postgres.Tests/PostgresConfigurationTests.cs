using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tracker.Events.Notifications;
using Tracker.Events.Storage;
using Xunit;

namespace Tracker.Events.Postgres.Tests;

public sealed class PostgresConfigurationTests
{
    [Fact]
    public void AddPostgresEventStore_ConnectionStringMissing_ThrowsNamingTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddPostgresEventStore(Configuration()));

        Assert.Contains("ConnectionStrings:Postgres", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddPostgresEventStore_MalformedConnectionString_ThrowsWithoutEchoingIt()
    {
        var error = Assert.Throws<InvalidOperationException>(
            () => new ServiceCollection().AddPostgresEventStore(Configuration(("ConnectionStrings:Postgres", "Host=db;Password=s3cret;Bogus Key=1"))));

        Assert.Contains("ConnectionStrings:Postgres", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddPostgresEventStore_ConnectionStringSet_RegistersOneStoreOverOneDataSource()
    {
        var services = new ServiceCollection().AddLogging()
            .AddPostgresEventStore(Configuration(("ConnectionStrings:Postgres", "Host=db.example;Username=tracker;Database=tracker")));
        await using var provider = services.BuildServiceProvider();

        var store = provider.GetRequiredService<IEventStore>();

        Assert.IsType<PostgresEventStore>(store);
        Assert.Same(store, provider.GetRequiredService<IEventStore>());
        Assert.Same(provider.GetRequiredService<NpgsqlDataSource>(), provider.GetRequiredService<NpgsqlDataSource>());
    }

    [Fact]
    public async Task AddPostgresEventStore_ConnectionStringSet_RegistersOneNotificationStore()
    {
        var services = new ServiceCollection().AddLogging()
            .AddPostgresEventStore(Configuration(("ConnectionStrings:Postgres", "Host=db.example;Username=tracker;Database=tracker")));
        await using var provider = services.BuildServiceProvider();

        var store = provider.GetRequiredService<INotificationStore>();

        Assert.Same(store, provider.GetRequiredService<INotificationStore>());
    }

    [Fact]
    public async Task Create_TimeoutsNotGiven_UsesShortDefaults()
    {
        await using var dataSource = PostgresConnectionFactory.Create("Host=db.example;Username=tracker");

        var settings = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        Assert.Equal(PostgresConnectionFactory.DefaultConnectTimeoutSeconds, settings.Timeout);
        Assert.Equal(PostgresConnectionFactory.DefaultCommandTimeoutSeconds, settings.CommandTimeout);
    }

    [Theory]
    [InlineData("Host=db.example;Timeout=9;Command Timeout=40")]
    [InlineData("Host=db.example;timeout=9;CommandTimeout=40")]
    public async Task Create_TimeoutsGiven_KeepsThem(string connectionString)
    {
        await using var dataSource = PostgresConnectionFactory.Create(connectionString);

        var settings = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        Assert.Equal(9, settings.Timeout);
        Assert.Equal(40, settings.CommandTimeout);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("t_abc", "t_abc")]
    [InlineData(" Tracker , public", "tracker")]
    [InlineData("\"Mixed Case\",public", "Mixed Case")]
    [InlineData("\"a\"\"b\"", "a\"b")]
    [InlineData("$user, public", null)]
    public void First_SearchPath_ReturnsTheSchemaPostgresUses(string? searchPath, string? expected)
    {
        Assert.Equal(expected, PostgresSearchPath.First(searchPath));
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
