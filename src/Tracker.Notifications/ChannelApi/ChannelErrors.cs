using Google.Rpc;
using Grpc.Core;
using Tracker.Api.V1Alpha1;
using Tracker.Events;
using Tracker.Events.Validation;

namespace Tracker.Notifications.ChannelApi;

/// <summary>
/// The ChannelService's errors, built by the API's one status factory (<see cref="EventErrors"/>),
/// so codes, messages and typed details read as the EventService's do. Never a channel's URL,
/// addresses or secret: only its name, shortened as all echoed input is.
/// </summary>
internal static class ChannelErrors
{
    private const string ChannelResourceType = "tracker.event.v1alpha1.Channel";
    private const string DeliveryResourceType = "tracker.event.v1alpha1.Delivery";
    private const string Domain = "tracker";

    /// <summary>INVALID_ARGUMENT for a channel that breaks its rules, listing every violation ("channel.url", ...).</summary>
    public static RpcException InvalidChannel(Violations violations) => EventErrors.Invalid("Invalid channel", violations);

    /// <summary>INVALID_ARGUMENT for a request (name, paging, redelivery fields) that breaks its rules.</summary>
    public static RpcException InvalidRequest(Violations violations) => EventErrors.InvalidRequest(violations);

    /// <summary>NOT_FOUND, with a ResourceInfo naming the channel.</summary>
    public static RpcException NotFound(string name) => EventErrors.Build(
        Code.NotFound,
        $"Channel '{EventErrors.Echo(name)}' was not found.",
        new ResourceInfo { ResourceType = ChannelResourceType, ResourceName = name, Description = "No channel has this name." });

    /// <summary>NOT_FOUND for a delivery id the channel's log does not hold.</summary>
    public static RpcException DeliveryNotFound(string channel, string deliveryId) => EventErrors.Build(
        Code.NotFound,
        $"Delivery '{EventErrors.Echo(deliveryId)}' was not found in the log of channel '{EventErrors.Echo(channel)}'.",
        new ResourceInfo { ResourceType = DeliveryResourceType, ResourceName = deliveryId, Owner = channel, Description = "The channel's delivery log has no message with this id." });

    /// <summary>ALREADY_EXISTS when another channel has the name (AIP-133).</summary>
    public static RpcException AlreadyExists(string name) => EventErrors.Build(
        Code.AlreadyExists,
        $"Channel '{EventErrors.Echo(name)}' already exists.",
        new ResourceInfo { ResourceType = ChannelResourceType, ResourceName = name, Description = "Channel names are unique; update the channel, or delete it first." });

    /// <summary>ABORTED when the channel's etag is no longer the one the client sent (AIP-154).</summary>
    public static RpcException EtagMismatch(string name) => EventErrors.Build(
        Code.Aborted,
        $"Channel '{EventErrors.Echo(name)}' has changed since the given etag was read; get it again and retry.",
        new ErrorInfo { Reason = "ETAG_MISMATCH", Domain = Domain });

    /// <summary>ABORTED when concurrent writers kept winning; the client may simply retry.</summary>
    public static RpcException TooMuchContention(string name) => EventErrors.Build(
        Code.Aborted,
        $"Channel '{EventErrors.Echo(name)}' is being changed concurrently; retry.",
        new ErrorInfo { Reason = "CONCURRENT_UPDATE", Domain = Domain });

    /// <summary>FAILED_PRECONDITION when this server has no sender for the channel's kind.</summary>
    public static RpcException NoSender(ChannelKind kind) => EventErrors.Build(
        Code.FailedPrecondition,
        $"This server has no sender for {ProtoEnumNames<ChannelKind>.Of(kind)} channels, so it cannot send them a test message.",
        new PreconditionFailure
        {
            Violations = { new PreconditionFailure.Types.Violation { Type = "SENDER", Subject = ProtoEnumNames<ChannelKind>.Of(kind), Description = "No message sender of this channel kind is configured." } },
        });
}
