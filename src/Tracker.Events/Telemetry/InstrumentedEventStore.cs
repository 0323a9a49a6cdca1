using System.Diagnostics;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;

namespace Tracker.Events.Telemetry;

/// <summary>
/// An <see cref="IEventStore"/> that measures every call of the store it wraps (a span and the
/// duration histogram, see <see cref="StoreTelemetry"/>) and counts the events creates record
/// (<see cref="EventMetrics"/>). It changes nothing that passes through. It overrides every
/// member of <see cref="DelegatingEventStore"/>, since it measures every call: a new member of the
/// port is one more override that hands its call to <see cref="MeasureAsync{T}"/> with a
/// <see cref="StoreOperation"/> of its own (a test fails while one is missing).
/// </summary>
public sealed class InstrumentedEventStore : DelegatingEventStore
{
    private readonly string _system;
    private readonly StoreTelemetry _telemetry;
    private readonly EventMetrics _events;

    /// <param name="inner">The store.</param>
    /// <param name="system">Its db.system.name: <see cref="StoreTelemetry.Sqlite"/> or <see cref="StoreTelemetry.Postgresql"/>.</param>
    /// <param name="telemetry">Where spans and durations go.</param>
    /// <param name="events">Where recorded events are counted.</param>
    public InstrumentedEventStore(IEventStore inner, string system, StoreTelemetry telemetry, EventMetrics events)
        : base(inner)
    {
        _system = system;
        _telemetry = telemetry;
        _events = events;
    }

    /// <summary>The store's db.system.name: <see cref="StoreTelemetry.Sqlite"/> or <see cref="StoreTelemetry.Postgresql"/>.</summary>
    public string System => _system;

    public override Task MigrateAsync(CancellationToken cancellationToken) =>
        MeasureAsync(StoreOperation.Migrate, async () =>
        {
            await Inner.MigrateAsync(cancellationToken).ConfigureAwait(false);
            return true;
        });

    public override async Task<Event> CreateAsync(Event newEvent, string? requestId, CancellationToken cancellationToken)
    {
        var stored = await MeasureAsync(StoreOperation.Create, () => Inner.CreateAsync(newEvent, requestId, cancellationToken)).ConfigureAwait(false);
        _events.Recorded(newEvent, stored);
        return stored;
    }

    public override async Task<Event> CreateOrFoldAsync(Event newEvent, string? requestId, TimeSpan window, CancellationToken cancellationToken)
    {
        var stored = await MeasureAsync(StoreOperation.CreateOrFold, () => Inner.CreateOrFoldAsync(newEvent, requestId, window, cancellationToken)).ConfigureAwait(false);
        _events.Recorded(newEvent, stored);
        return stored;
    }

    public override Task<Event?> GetAsync(string id, CancellationToken cancellationToken) =>
        MeasureAsync(StoreOperation.Get, () => Inner.GetAsync(id, cancellationToken));

    public override Task<bool> ReplaceAsync(Event updated, string expectedEtag, CancellationToken cancellationToken) =>
        MeasureAsync(StoreOperation.Replace, () => Inner.ReplaceAsync(updated, expectedEtag, cancellationToken));

    public override Task<DeleteOutcome> DeleteAsync(string id, string? expectedEtag, CancellationToken cancellationToken) =>
        MeasureAsync(StoreOperation.Delete, () => Inner.DeleteAsync(id, expectedEtag, cancellationToken));

    public override Task<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken) =>
        MeasureAsync(StoreOperation.Query, () => Inner.QueryAsync(query, cancellationToken));

    public override Task<long?> FindSequenceAsync(string id, CancellationToken cancellationToken) =>
        MeasureAsync(StoreOperation.FindSequence, () => Inner.FindSequenceAsync(id, cancellationToken));

    public override Task<IReadOnlyList<EventChange>> ReadChangesAsync(long afterSequence, int limit, CancellationToken cancellationToken) =>
        MeasureAsync(StoreOperation.ReadChanges, () => Inner.ReadChangesAsync(afterSequence, limit, cancellationToken));

    public override Task<ChangeLogBounds> GetChangeLogBoundsAsync(CancellationToken cancellationToken) =>
        MeasureAsync(StoreOperation.GetChangeLogBounds, () => Inner.GetChangeLogBoundsAsync(cancellationToken));

    public override Task<int> PurgeChangesAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken) =>
        MeasureAsync(StoreOperation.PurgeChanges, () => Inner.PurgeChangesAsync(cutoff, limit, cancellationToken));

    public override Task<IReadOnlyDictionary<Api.V1Alpha1.Type, int>> DeleteExpiredAsync(IReadOnlyList<ExpiryCutoff> cutoffs, int limit, CancellationToken cancellationToken) =>
        MeasureAsync(StoreOperation.DeleteExpired, () => Inner.DeleteExpiredAsync(cutoffs, limit, cancellationToken));

    public override Task<bool> IsReachableAsync(CancellationToken cancellationToken) =>
        MeasureAsync(StoreOperation.Ping, () => Inner.IsReachableAsync(cancellationToken));

    private async Task<T> MeasureAsync<T>(StoreOperation operation, Func<Task<T>> call)
    {
        var started = Stopwatch.GetTimestamp();
        using var span = _telemetry.StartSpan(operation, _system);
        string? errorType = null;
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            errorType = exception.GetType().FullName ?? exception.GetType().Name;
            if (span is not null)
            {
                span.SetTag("error.type", errorType);
                // No description: a driver's message may quote the values of the row.
                span.SetStatus(ActivityStatusCode.Error);
            }

            throw;
        }
        finally
        {
            _telemetry.Record(operation, _system, Stopwatch.GetElapsedTime(started), errorType);
        }
    }
}
