using Grpc.Core;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Paging;
using Tracker.Events.Validation;

namespace Tracker.Notifications.ChannelApi;

public sealed partial class ChannelRpcService
{
    // ListDeliveries (AIP-132, AIP-158): a channel's messages, newest first, with every attempt;
    // page_size 50 by default, at most 1000 (larger values are lowered), page_token opaque and
    // bound to the channel and the state filter. NOT_FOUND for an unknown channel.
    public override async Task<ListDeliveriesResponse> ListDeliveries(ListDeliveriesRequest request, ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        var violations = new Violations();
        ChannelValidator.CheckName(request.Name, "name", violations);
        if (request.PageSize < 0)
        {
            violations.Add("page_size", "must not be negative", ViolationReasons.OutOfRange);
        }

        if (!ProtoEnumNames<DeliveryState>.IsDefined(request.State))
        {
            violations.Add("state", $"must be DELIVERY_STATE_PENDING, DELIVERY_STATE_DELIVERED, DELIVERY_STATE_FAILED or unspecified (all), not {ProtoEnumNames<DeliveryState>.Of(request.State)}", ViolationReasons.UndefinedEnumValue);
        }

        var beforeId = request.PageToken.Length > 0 && !violations.Any
            ? DeliveryPageToken.Decode(request.PageToken, request.Name, request.State, violations)
            : null;
        if (violations.Any)
        {
            throw ChannelErrors.InvalidRequest(violations);
        }

        _ = await _store.GetChannelAsync(request.Name, cancellationToken).ConfigureAwait(false) ?? throw ChannelErrors.NotFound(request.Name);
        var size = request.PageSize == 0 ? PagingParser.DefaultSize : Math.Min(request.PageSize, PagingParser.MaxSize);

        // One more than the page shows: its presence means a next page.
        var found = await _store.ListDeliveriesAsync(request.Name, request.State, beforeId, size + 1, cancellationToken).ConfigureAwait(false);
        var page = found.Take(size).ToList();
        return new ListDeliveriesResponse
        {
            Deliveries = { page },
            NextPageToken = found.Count > size ? DeliveryPageToken.Encode(request.Name, request.State, page[^1].Id) : string.Empty,
        };
    }
}
