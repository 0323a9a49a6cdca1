using Tracker.Events.Storage;

namespace Tracker.Events.Paging;

/// <summary>The paging fields every listing request carries, whatever its message type.</summary>
internal sealed record PagingFields(int PerPage, int Page, int PageSize, string PageToken, string OrderBy);

/// <summary>A parsed page request: page-number paging (Offset) or keyset paging (After).</summary>
internal sealed record PagingRequest(EventOrder Order, int Size, bool UsesToken, long Offset, string PageToken);
