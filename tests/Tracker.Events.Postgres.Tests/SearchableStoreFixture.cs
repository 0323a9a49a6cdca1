using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;
using Xunit;

namespace Tracker.Events.Postgres.Tests;

/// <summary>
/// A migrated schema holding <see cref="SearchableEvents"/>, created one by one so that their
/// commit positions follow e1..e12. Shared by the read-only tests of one class.
/// </summary>
public sealed class SearchableStoreFixture : IAsyncLifetime
{
    private TestSchema _schema = null!;

    internal PostgresEventStore Store { get; private set; } = null!;

    internal IReadOnlyList<(string Name, Event Event)> Events { get; private set; } = [];

    public async Task InitializeAsync()
    {
        _schema = await TestPostgres.CreateSchemaAsync();
        Store = _schema.CreateStore();
        await Store.MigrateAsync(CancellationToken.None).WaitAsync(TestPostgres.Timeout);
        Events = SearchableEvents.Create();
        foreach (var (_, e) in Events)
        {
            await Store.CreateAsync(e, null, CancellationToken.None).WaitAsync(TestPostgres.Timeout);
        }
    }

    public async Task DisposeAsync() => await _schema.DisposeAsync();

    internal string NameOf(string id) => Events.Single(e => e.Event.Id == id).Name;

    internal Event Named(string name) => Events.Single(e => e.Name == name).Event;

    /// <summary>The names of the events a query finds, in the page's order.</summary>
    internal async Task<string[]> NamesAsync(EventQuery query)
    {
        var page = await Store.QueryAsync(query, CancellationToken.None).WaitAsync(TestPostgres.Timeout);
        return page.Events.Select(e => NameOf(e.Id)).ToArray();
    }

    internal static EventQuery All(EventCriteria criteria, EventOrder? order = null) =>
        new(criteria, order ?? EventOrder.CommitOrder, Limit: 100);
}
