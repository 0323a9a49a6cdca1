using System.Globalization;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Querying;
using Tracker.Events.Storage;
using Tracker.Events.Validation;

namespace Tracker.Events.Watching;

/// <summary>
/// What a watch sends: the changes whose event satisfies <see cref="Where"/>, after position
/// <see cref="Start"/>; with <see cref="SendInitialEvents"/>, first the matching events as they
/// are at <see cref="Start"/>.
/// </summary>
internal sealed record WatchPlan(FilterNode Where, long Start, bool SendInitialEvents);

/// <summary>
/// Checks a WatchEventsRequest (every violation at once, each naming its field) and finds where
/// its stream starts: after_id is a change_id (a decimal position) or an event id (the position
/// of its creation); empty, the newest change now. A position the change log has purged is
/// OUT_OF_RANGE, since the changes after it are gone.
/// </summary>
internal sealed class WatchPlanner(IEventStore store)
{
    private readonly SearchCriteriaBuilder _criteria = new(store);

    public async Task<WatchPlan> PlanAsync(WatchEventsRequest request, CancellationToken cancellationToken)
    {
        var violations = new Violations();
        if (request.SendInitialEvents && request.AfterId.Length > 0)
        {
            violations.Add("send_initial_events", "cannot be combined with after_id: the initial events are the state now, after_id resumes from a past position; send one", ViolationReasons.Mismatch);
        }

        var changeId = ParseChangeId(request.AfterId);
        var eventId = changeId is null ? request.AfterId : string.Empty;
        var criteria = await _criteria.BuildAsync([], new SearchFields(request.Filter, request.Query, Q: string.Empty, eventId), violations, cancellationToken).ConfigureAwait(false);
        var bounds = await store.GetChangeLogBoundsAsync(cancellationToken).ConfigureAwait(false);
        if (changeId > bounds.Last)
        {
            violations.Add("after_id", $"names no change: the newest change_id is {bounds.Last}", ViolationReasons.NotFound);
        }

        if (violations.Any || criteria is null)
        {
            throw EventErrors.InvalidRequest(violations);
        }

        var start = changeId ?? criteria.AfterSequence ?? bounds.Last;
        if (start < bounds.PurgedThrough)
        {
            throw EventErrors.ChangesExpired(request.AfterId, bounds.PurgedThrough);
        }

        return new WatchPlan(criteria.Where, start, request.SendInitialEvents);
    }

    /// <summary>A change_id: the decimal digits of a position (an event id is never only digits).</summary>
    private static long? ParseChangeId(string afterId) =>
        afterId.Length is > 0 and <= 19 && afterId.All(char.IsAsciiDigit)
            && long.TryParse(afterId, NumberStyles.None, CultureInfo.InvariantCulture, out var position)
            ? position
            : null;
}
