using Npgsql;
using Tracker.Events.Storage;
using Xunit;
using static Tracker.Events.Postgres.Tests.Expressions;

namespace Tracker.Events.Postgres.Tests;

/// <summary>
/// The same answers in a database whose default collation is a language's (ICU en-US, where
/// "backend" sorts before "Z"), not the test server's C: text compares by bytes wherever it
/// comes from (columns, labels, resources, repeated fields), and words match case-insensitively.
/// </summary>
public sealed class PostgresDatabaseLocaleTests : IAsyncLifetime
{
    private readonly string _database = "t_icu_" + Guid.NewGuid().ToString("N")[..12];
    private NpgsqlDataSource _dataSource = null!;
    private PostgresEventStore _store = null!;
    private IReadOnlyList<(string Name, Tracker.Api.V1Alpha1.Event Event)> _events = [];

    public static TheoryData<string, string> Cases => new()
    {
        { "title > Z", "e5 e12" },
        { "labels.team > Z", "e1 e2 e4 e7 e8 e9 e11" },
        { "stake_holders > Z", "e1 e2 e4 e5 e7 e8 e10 e11" },
        { "resources.kind < a", "e1 e2 e4 e5 e7 e8 e11" },
        { "words привет", "e2" },
    };

    public async Task InitializeAsync()
    {
        await TestPostgres.ExecuteAsync($"CREATE DATABASE {_database} LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C' TEMPLATE template0");
        _dataSource = PostgresConnectionFactory.Create(new NpgsqlConnectionStringBuilder(TestPostgres.ConnectionString) { Database = _database }.ConnectionString);
        _store = new PostgresEventStore(_dataSource, Microsoft.Extensions.Logging.Abstractions.NullLogger<PostgresEventStore>.Instance);
        await _store.MigrateAsync(CancellationToken.None).WaitAsync(TestPostgres.Timeout);
        _events = SearchableEvents.Create();
        foreach (var (_, e) in _events)
        {
            await _store.CreateAsync(e, null, CancellationToken.None).WaitAsync(TestPostgres.Timeout);
        }
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await TestPostgres.ExecuteAsync($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task QueryAsync_LanguageCollatedDatabase_ComparesTextByBytes(string name, string expected)
    {
        var criteria = name switch
        {
            "title > Z" => new EventCriteria(Text(EventField.Title, Comparator.Greater, "Z"), []),
            "labels.team > Z" => new EventCriteria(Label("team", Comparator.Greater, "Z"), []),
            "stake_holders > Z" => new EventCriteria(Text(EventField.StakeHolders, Comparator.Greater, "Z"), []),
            "resources.kind < a" => new EventCriteria(Text(EventField.ResourceKind, Comparator.Less, "a"), []),
            "words привет" => new EventCriteria(And(), ["привет"]),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        var page = await _store.QueryAsync(new EventQuery(criteria, EventOrder.CommitOrder, Limit: 100), CancellationToken.None).WaitAsync(TestPostgres.Timeout);

        Assert.Equal(expected.Split(' '), page.Events.Select(e => _events.Single(n => n.Event.Id == e.Id).Name));
    }
}
