using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;
using Xunit;

namespace Tracker.Events.Postgres.Tests;

/// <summary>Several stores with their own pools on one schema, as Tracker replicas on one database.</summary>
public sealed class PostgresReplicaTests : IAsyncLifetime
{
    private const int Replicas = 4;

    private TestSchema _schema = null!;
    private List<PostgresEventStore> _stores = null!;

    public async Task InitializeAsync()
    {
        _schema = await TestPostgres.CreateSchemaAsync();
        _stores = Enumerable.Range(0, Replicas).Select(_ => _schema.CreateStore()).ToList();
        await Task.WhenAll(_stores.Select(s => s.MigrateAsync(CancellationToken.None))).WaitAsync(TestPostgres.Timeout);
    }

    public async Task DisposeAsync() => await _schema.DisposeAsync();

    [Fact]
    public async Task IsReachableAsync_RunningServer_ReturnsTrue()
    {
        Assert.True(await _stores[0].IsReachableAsync(CancellationToken.None).WaitAsync(TestPostgres.Timeout));
    }

    [Fact]
    public async Task CreateAsync_SameRequestIdOnEveryReplicaAtOnce_StoresOneEventAndReturnsItToAll()
    {
        var attempts = Enumerable.Range(0, 5 * Replicas)
            .Select(i => _stores[i % Replicas].CreateAsync(TestEvents.New(title: $"attempt {i}"), "deploy-42", CancellationToken.None));

        var results = await Task.WhenAll(attempts).WaitAsync(TestPostgres.Timeout);

        var stored = Assert.Single(results.DistinctBy(e => e.Id));
        Assert.All(results, e => Assert.Equal(stored, e));
        var page = await _stores[0].QueryAsync(AllNewestFirst(), CancellationToken.None).WaitAsync(TestPostgres.Timeout);
        Assert.Equal(1, page.TotalCount);
        Assert.Equal(stored, Assert.Single(page.Events));
    }

    [Fact]
    public async Task ReplaceAsync_SameEtagOnEveryReplicaAtOnce_ExactlyOneWins()
    {
        var original = await _stores[0].CreateAsync(TestEvents.New(), null, CancellationToken.None).WaitAsync(TestPostgres.Timeout);
        var candidates = Enumerable.Range(0, 3 * Replicas).Select(i =>
        {
            var changed = original.Clone();
            changed.Title = $"edit {i}";
            changed.Etag = Guid.NewGuid().ToString("N");
            return changed;
        }).ToList();

        var outcomes = await Task.WhenAll(candidates.Select((c, i) => _stores[i % Replicas].ReplaceAsync(c, original.Etag, CancellationToken.None))).WaitAsync(TestPostgres.Timeout);

        var winner = candidates[Assert.Single(Enumerable.Range(0, outcomes.Length), i => outcomes[i])];
        Assert.Equal(winner, await _stores[^1].GetAsync(original.Id, CancellationToken.None).WaitAsync(TestPostgres.Timeout));
    }

    [Fact]
    public async Task CreateAsync_SameEventTwice_ReturnsTheStoredOneWithoutDuplicating()
    {
        // What a retry on a new connection does when the first insert had landed.
        var e = TestEvents.New();
        await _stores[0].CreateAsync(e, null, CancellationToken.None).WaitAsync(TestPostgres.Timeout);

        var again = await _stores[1].CreateAsync(e, null, CancellationToken.None).WaitAsync(TestPostgres.Timeout);

        Assert.Equal(e, again);
        var page = await _stores[0].QueryAsync(AllNewestFirst(), CancellationToken.None).WaitAsync(TestPostgres.Timeout);
        Assert.Equal(1, page.TotalCount);
    }

    [Fact]
    public async Task DeleteAsync_ConcurrentOnEveryReplica_ExactlyOneDeletes()
    {
        var e = await _stores[0].CreateAsync(TestEvents.New(), null, CancellationToken.None).WaitAsync(TestPostgres.Timeout);

        var outcomes = await Task.WhenAll(_stores.Select(s => s.DeleteAsync(e.Id, e.Etag, CancellationToken.None))).WaitAsync(TestPostgres.Timeout);

        Assert.Single(outcomes, o => o == DeleteOutcome.Deleted);
        Assert.Null(await _stores[0].GetAsync(e.Id, CancellationToken.None).WaitAsync(TestPostgres.Timeout));
    }

    private static EventQuery AllNewestFirst() => new(EventCriteria.All, EventOrder.NewestFirst, Limit: 50);
}
