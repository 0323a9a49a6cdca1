using Tracker.Events.Validation;

namespace Tracker.Events.Paging;

/// <summary>
/// Reads the paging fields: per_page (default 50, at most 1000, larger values lowered) with a
/// 1-based page (0 meaning 1), or, when page_size or page_token is given, keyset paging with
/// page_size under the same limits. Negative numbers are rejected, naming the field.
/// </summary>
internal static class PagingParser
{
    public const int DefaultSize = 50;
    public const int MaxSize = 1000;

    public static PagingRequest? Parse(PagingFields fields, Violations violations)
    {
        NotNegative(fields.PerPage, "per_page", violations);
        NotNegative(fields.Page, "page", violations);
        NotNegative(fields.PageSize, "page_size", violations);
        var order = OrderByParser.Parse(fields.OrderBy, violations);
        if (order is null || violations.Any)
        {
            return null;
        }

        var usesToken = fields.PageSize > 0 || fields.PageToken.Length > 0;
        if (usesToken)
        {
            // page_size rules; per_page is honoured when a client mixes the two.
            var size = Size(fields.PageSize > 0 ? fields.PageSize : fields.PerPage);
            return new PagingRequest(order, size, UsesToken: true, Offset: 0, fields.PageToken, fields.ExactTotalCount);
        }

        var perPage = Size(fields.PerPage);
        var page = Math.Max(fields.Page, 1);
        return new PagingRequest(order, perPage, UsesToken: false, Offset: (page - 1L) * perPage, PageToken: string.Empty, fields.ExactTotalCount);
    }

    private static int Size(int requested) => requested <= 0 ? DefaultSize : Math.Min(requested, MaxSize);

    private static void NotNegative(int value, string field, Violations violations)
    {
        if (value < 0)
        {
            violations.Add(field, "must not be negative", ViolationReasons.OutOfRange);
        }
    }
}
