using Tracker.Events.Storage;
using Tracker.Events.Validation;

namespace Tracker.Events.Querying;

/// <summary>The search fields List, Search and Today share (README, "Searching").</summary>
internal sealed record SearchFields(string Filter, string Query, string Q, string AfterId);

/// <summary>
/// Turns a listing's search fields into one <see cref="EventCriteria"/>: the method's own terms
/// (Search's equality fields, Today's day), ANDed with <c>filter</c> or <c>query</c> (one
/// expression tree, whichever dialect), the words of <c>q</c>, and after_id's commit position.
/// Every problem is added to the violations, naming its field.
/// </summary>
internal sealed class SearchCriteriaBuilder(IEventStore store)
{
    public async Task<EventCriteria?> BuildAsync(IEnumerable<FilterNode> methodTerms, SearchFields fields, Violations violations, CancellationToken cancellationToken)
    {
        var terms = new List<FilterNode>(methodTerms);
        if (fields.Filter.Length > 0 && fields.Query.Length > 0)
        {
            violations.Add("query", "cannot be combined with filter: they are two spellings of one expression; send one", ViolationReasons.Mismatch);
        }
        else if (fields.Filter.Length > 0)
        {
            AddExpression(terms, FilterParser.Parse(fields.Filter), "filter", violations);
        }
        else if (fields.Query.Length > 0)
        {
            AddExpression(terms, MongoQueryParser.Parse(fields.Query), "query", violations);
        }

        var words = FullTextWords.Split(fields.Q, violations);
        var afterSequence = await FindAfterAsync(fields.AfterId, violations, cancellationToken).ConfigureAwait(false);
        return violations.Any ? null : new EventCriteria(new AllOf(terms), words, afterSequence);
    }

    private static void AddExpression(List<FilterNode> terms, FilterParseResult parsed, string field, Violations violations)
    {
        if (parsed.Error is { } error)
        {
            violations.Add(field, error.Description, error.Reason);
        }
        else
        {
            terms.Add(parsed.Node!);
        }
    }

    private async Task<long?> FindAfterAsync(string afterId, Violations violations, CancellationToken cancellationToken)
    {
        if (afterId.Length == 0)
        {
            return null;
        }

        if (TextRules.IsLongerThan(afterId, EventLimits.IdChars))
        {
            violations.Add("after_id", $"must be at most {EventLimits.IdChars} characters", ViolationReasons.TooLong);
            return null;
        }

        if (NulCharacters.In(afterId))
        {
            violations.Add("after_id", NulCharacters.Rule, ViolationReasons.InvalidFormat);
            return null;
        }

        var sequence = await store.FindSequenceAsync(afterId, cancellationToken).ConfigureAwait(false);
        if (sequence is null)
        {
            violations.Add("after_id", $"names no event: \"{FilterBinder.Clip(afterId)}\" does not exist (deleted, or never created)", ViolationReasons.NotFound);
        }

        return sequence;
    }
}

/// <summary>A parsed expression, or why it could not be parsed.</summary>
internal sealed record FilterParseResult(FilterNode? Node, FilterParseError? Error)
{
    public static FilterParseResult Of(FilterNode node) => new(node, null);

    public static FilterParseResult Failed(string description, string reason) => new(null, new FilterParseError(description, reason));
}

/// <param name="Description">Where and what: "at column 12: expected a value after \"=\"".</param>
/// <param name="Reason">The violation reason code (INVALID_FORMAT, UNKNOWN_FIELD, TOO_LONG...).</param>
internal sealed record FilterParseError(string Description, string Reason);
