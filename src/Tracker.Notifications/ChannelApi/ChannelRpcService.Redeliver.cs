using System.Globalization;
using Grpc.Core;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Pipeline;
using Tracker.Events.Validation;

namespace Tracker.Notifications.ChannelApi;

public sealed partial class ChannelRpcService
{
    /// <summary>A delivery id is "msg_" and a UUID; anything much longer was never one of ours.</summary>
    private const int MaxDeliveryIdChars = 128;

    // Redeliver: puts back to pending, due now, one message (delivery_id) or every message of the
    // channel after a change (after_change_id, a decimal change_id as WatchEvents gives it), then
    // wakes the dispatcher. NOT_FOUND for an unknown channel or delivery.
    public override async Task<RedeliverResponse> Redeliver(RedeliverRequest request, ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        var violations = new Violations();
        ChannelValidator.CheckName(request.Name, "name", violations);
        var afterSequence = CheckRedelivery(request, violations);
        if (violations.Any)
        {
            throw ChannelErrors.InvalidRequest(violations);
        }

        _ = await _store.GetChannelAsync(request.Name, cancellationToken).ConfigureAwait(false) ?? throw ChannelErrors.NotFound(request.Name);
        var deliveryId = request.DeliveryId.Length > 0 ? request.DeliveryId : null;
        var count = await _store.RedeliverAsync(request.Name, deliveryId, afterSequence, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (deliveryId is not null && count == 0)
        {
            throw ChannelErrors.DeliveryNotFound(request.Name, deliveryId);
        }

        if (count > 0)
        {
            _wakeup.Notify();
        }

        WriteAudit.Done(context, request.Name, $"redelivered {count}");
        return new RedeliverResponse { RedeliveredCount = count };
    }

    /// <summary>Exactly one of delivery_id and after_change_id; the position after_change_id gives, when it is the one.</summary>
    private static long? CheckRedelivery(RedeliverRequest request, Violations violations)
    {
        var byId = request.DeliveryId.Length > 0;
        var byChange = request.AfterChangeId.Length > 0;
        if (byId == byChange)
        {
            violations.Add(
                "delivery_id",
                byId ? "cannot be combined with after_change_id: send one message's id, or the change_id after which every message is sent again" : "is required, or after_change_id: one message's id, or the change_id after which every message is sent again",
                byId ? ViolationReasons.Mismatch : ViolationReasons.Required);
            return null;
        }

        if (byId)
        {
            if (request.DeliveryId.Length > MaxDeliveryIdChars)
            {
                violations.Add("delivery_id", $"must be at most {MaxDeliveryIdChars} characters", ViolationReasons.TooLong);
            }
            else if (NulCharacters.In(request.DeliveryId))
            {
                violations.Add("delivery_id", NulCharacters.Rule, ViolationReasons.InvalidFormat);
            }

            return null;
        }

        // A change_id is the decimal digits of a change-log position, as WatchEvents sends it.
        if (request.AfterChangeId.Length <= 19 && request.AfterChangeId.All(char.IsAsciiDigit)
            && long.TryParse(request.AfterChangeId, NumberStyles.None, CultureInfo.InvariantCulture, out var position))
        {
            return position;
        }

        violations.Add("after_change_id", "must be a change_id: the decimal position that WatchEvents and the delivery log give, such as \"1042\"", ViolationReasons.InvalidFormat);
        return null;
    }
}
