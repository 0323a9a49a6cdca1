using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;

namespace Tracker.Events.Validation;

/// <summary>
/// Checks attributes.related_id against the store and applies its one inference: an event that
/// names a related event but no service takes the related event's service. The seed's "related
/// events" example (a rollback naming the deployment it undoes) sends no service, and the
/// rollback concerns the same service, so inheriting it keeps that example valid.
/// </summary>
internal sealed class RelatedEventResolver(IEventStore store)
{
    /// <param name="candidate">The event to be stored; its service may be filled in.</param>
    /// <param name="previousRelatedId">
    /// On update, the related_id already stored. It is not re-checked when unchanged, so an event
    /// stays editable after the event it points to is deleted.
    /// </param>
    /// <param name="violations">Receives "attributes.related_id" when it names no event.</param>
    /// <param name="authorize">
    /// Called with the event a new related_id names (null when it names none) before anything is
    /// said about it; it throws when the caller may not learn that (<see cref="Access.EventAccess.RequireRelatable"/>).
    /// </param>
    /// <param name="cancellationToken">Cancels the store look-up.</param>
    public async Task ResolveAsync(Event candidate, string? previousRelatedId, Violations violations, Action<Event?> authorize, CancellationToken cancellationToken)
    {
        var attributes = candidate.Attributes;
        var relatedId = attributes?.RelatedId;
        if (attributes is null || string.IsNullOrEmpty(relatedId))
        {
            return;
        }

        if (relatedId == candidate.Id)
        {
            violations.Add("attributes.related_id", "must not name the event itself", ViolationReasons.InvalidReference);
            return;
        }

        var changed = relatedId != previousRelatedId;
        var needsService = string.IsNullOrEmpty(attributes.Service);
        if (!changed && !needsService)
        {
            return;
        }

        // An id no event can have is not looked up (NUL is refused by the validator).
        var related = relatedId.Length <= EventLimits.IdChars && !NulCharacters.In(relatedId)
            ? await store.GetAsync(relatedId, cancellationToken).ConfigureAwait(false)
            : null;
        if (changed)
        {
            authorize(related);
        }

        if (related is null)
        {
            if (changed)
            {
                violations.Add("attributes.related_id", "must name an existing event", ViolationReasons.NotFound);
            }

            return;
        }

        if (needsService)
        {
            attributes.Service = related.Attributes?.Service ?? string.Empty;
        }
    }
}
