using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Paging;
using Tracker.Events.Storage;
using Tracker.Events.Validation;

namespace Tracker.Notifications.ChannelApi;

/// <summary>
/// ListDeliveries' page tokens (AIP-158): the id of the last message shown, in the event
/// listings' integrity-checked token format (<see cref="PageTokenCodec"/>), bound to the channel
/// and the state filter by a fingerprint, so a token cannot be replayed against another listing.
/// The page size is not bound: AIP-158 lets a client change it between pages.
/// </summary>
internal static class DeliveryPageToken
{
    public static string Encode(string channel, DeliveryState state, string lastId) =>
        PageTokenCodec.Encode(new EventCursor([FilterValue.Of((long)state)], lastId), Fingerprint(channel, state));

    /// <summary>The id the next page starts below, or null with a violation on "page_token".</summary>
    public static string? Decode(string token, string channel, DeliveryState state, Violations violations)
    {
        var decoded = PageTokenCodec.Decode(token, Fingerprint(channel, state));
        switch (decoded.Status)
        {
            case PageTokenStatus.Valid when decoded.Cursor!.Keys is [{ Number: var number }] && number == (long)state:
                return decoded.Cursor.Id;
            case PageTokenStatus.OtherQuery:
                violations.Add("page_token", "belongs to another listing; send the same name and state as the page it came from", ViolationReasons.Mismatch);
                return null;
            default:
                violations.Add("page_token", "is not a page token from this service", ViolationReasons.InvalidFormat);
                return null;
        }
    }

    private static ulong Fingerprint(string channel, DeliveryState state)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes($"ListDeliveries|{channel}|{(int)state}"), hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }
}
