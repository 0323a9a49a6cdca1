using Tracker.Events.Storage;

namespace Tracker.Events.Paging;

/// <summary>
/// The paging fields every listing request carries, whatever its message type; with
/// <paramref name="ExactTotalCount"/> (exact_total_count) the total counts every match.
/// </summary>
internal sealed record PagingFields(int PerPage, int Page, int PageSize, string PageToken, string OrderBy, bool ExactTotalCount = false);

/// <summary>
/// A parsed page request: page-number paging (Offset) or keyset paging (After); the total is
/// counted exactly when <paramref name="ExactTotalCount"/>, else up to the server's count limit.
/// </summary>
internal sealed record PagingRequest(EventOrder Order, int Size, bool UsesToken, long Offset, string PageToken, bool ExactTotalCount = false);
