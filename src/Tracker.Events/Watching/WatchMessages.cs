using System.Globalization;
using System.Runtime.CompilerServices;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;

namespace Tracker.Events.Watching;

/// <summary>
/// The WatchEventsResponse of a change, built once and shared by every watcher it goes to, and
/// its protobuf encoding, made once on first send and reused (the gRPC response marshaller asks
/// for it, see <see cref="EventServiceBinding"/>): with 100 watchers a change is decoded and
/// encoded once, not 100 times. A shared message is never changed after it is built.
/// </summary>
internal static class WatchMessages
{
    private static readonly ConditionalWeakTable<WatchEventsResponse, byte[]> Encoded = new();

    /// <summary>The message of a change whose event is <paramref name="e"/> (decoded from the change).</summary>
    public static WatchEventsResponse Of(EventChange change, Event e) => new()
    {
        ChangeType = change.Type,
        Event = e,
        ChangeId = change.Sequence.ToString(CultureInfo.InvariantCulture),
        ChangeTime = Timestamp.FromDateTimeOffset(change.ChangedAt),
    };

    /// <summary>The protobuf encoding of <paramref name="response"/>, made on first use.</summary>
    public static byte[] Encoding(WatchEventsResponse response) => Encoded.GetValue(response, r => r.ToByteArray());
}
