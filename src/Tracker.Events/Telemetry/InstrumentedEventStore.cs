using System.Diagnostics;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;

namespace Tracker.Events.Telemetry;

/// <summary>
/// An <see cref="IEventStore"/> that measures every call of the store it wraps (a span and the
/// duration histogram, see <see cref="StoreTelemetry"/>) and counts the events creates record
/// (<see cref="EventMetrics"/>). It changes nothing that passes through. A new member of the port
/// is one more line that hands its call to <see cref="MeasureAsync{T}"/> with a
/// <see cref="StoreOperation"/> of its own.
/// </summary>
public sealed class InstrumentedEventStore : IEventStore
{
    private readonly IEventStore _inner;
    private readonly string _system;
    private readonly StoreTelemetry _telemetry;
    private readonly EventMetrics _events;

    /// <param name="inner">The store.</param>
    /// <param name="system">Its db.system.name: <see cref="StoreTelemetry.Sqlite"/> or <see cref="StoreTelemetry.Postgresql"/>.</param>
    /// <param name="telemetry">Where spans and durations go.</param>
    /// <param name="events">Where recorded events are counted.</param>
    public InstrumentedEventStore(IEventStore inner, string system, StoreTelemetry telemetry, EventMetrics events)
    {
        _inner = inner;
        _system = system;
        _telemetry = telemetry;
        _events = events;
    }

    public Task MigrateAsync(CancellationToken cancellationToken) =>
        MeasureAsync(StoreOperation.Migrate, async () =>
        {
            await _inner.MigrateAsync(cancellationToken).ConfigureAwait(false);
            return true;
        });

    public async Task<Event> CreateAsync(Event newEvent, string? requestId, CancellationToken cancellationToken)
    {
        var stored = await MeasureAsync(StoreOperation.Create, () => _inner.CreateAsync(newEvent, requestId, cancellationToken)).ConfigureAwait(false);
        _events.Recorded(newEvent, stored);
        return stored;
    }

    public async Task<Event> CreateOrFoldAsync(Event newEvent, string? requestId, TimeSpan window, CancellationToken cancellationToken)
    {
        var stored = await MeasureAsync(StoreOperation.CreateOrFold, () => _inner.CreateOrFoldAsync(newEvent, requestId, window, cancellationToken)).ConfigureAwait(false);
        _events.Recorded(newEvent, stored);
        return stored;
    }

    public Task<Event?> GetAsync(string id, CancellationToken cancellationToken) =>
        MeasureAsync(StoreOperation.Get, () => _inner.GetAsync(id, cancellationToken));

    public Task<bool> ReplaceAsync(Event updated, string expectedEtag, CancellationToken cancellationToken) =>
        MeasureAsync(StoreOperation.Replace, () => _inner.ReplaceAsync(updated, expectedEtag, cancellationToken));

    public Task<DeleteOutcome> DeleteAsync(string id, string? expectedEtag, CancellationToken cancellationToken) =>
        MeasureAsync(StoreOperation.Delete, () => _inner.DeleteAsync(id, expectedEtag, cancellationToken));

    public Task<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken) =>
        MeasureAsync(StoreOperation.Query, () => _inner.QueryAsync(query, cancellationToken));

    public Task<long?> FindSequenceAsync(string id, CancellationToken cancellationToken) =>
        MeasureAsync(StoreOperation.FindSequence, () => _inner.FindSequenceAsync(id, cancellationToken));

    public Task<IReadOnlyList<EventChange>> ReadChangesAsync(long afterSequence, int limit, CancellationToken cancellationToken) =>
        MeasureAsync(StoreOperation.ReadChanges, () => _inner.ReadChangesAsync(afterSequence, limit, cancellationToken));

    public Task<ChangeLogBounds> GetChangeLogBoundsAsync(CancellationToken cancellationToken) =>
        MeasureAsync(StoreOperation.GetChangeLogBounds, () => _inner.GetChangeLogBoundsAsync(cancellationToken));

    public Task<int> PurgeChangesAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken) =>
        MeasureAsync(StoreOperation.PurgeChanges, () => _inner.PurgeChangesAsync(cutoff, limit, cancellationToken));

    public Task<IReadOnlyDictionary<Api.V1Alpha1.Type, int>> DeleteExpiredAsync(IReadOnlyList<ExpiryCutoff> cutoffs, int limit, CancellationToken cancellationToken) =>
        MeasureAsync(StoreOperation.DeleteExpired, () => _inner.DeleteExpiredAsync(cutoffs, limit, cancellationToken));

    public Task<bool> IsReachableAsync(CancellationToken cancellationToken) =>
        MeasureAsync(StoreOperation.Ping, () => _inner.IsReachableAsync(cancellationToken));

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
