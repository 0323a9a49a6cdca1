using Google.Protobuf;
using Grpc.Core;
using Tracker.Api.V1Alpha1;

namespace Tracker.Bench.Driver;

/// <summary>
/// WatchEvents as the bench's watchers call it: the same request and the same bytes from the
/// server, but each WatchEventsResponse is decoded only as far as its event's id. The server's
/// side is unchanged; the driver, on the same two cores, then spends less of them decoding
/// 100,000 messages a second it does not read (scenario i, bench/analysis.md).
/// </summary>
internal static class IdOnlyWatch
{
    // WatchEventsResponse.event = 2, Event.id = 4 (protos/tracker/event/v1alpha1).
    private const int EventField = 2;
    private const int EventIdField = 4;

    private static readonly Method<WatchEventsRequest, string> WatchEvents = new(
        MethodType.ServerStreaming,
        EventService.Descriptor.FullName,
        "WatchEvents",
        Marshallers.Create(r => r.ToByteArray(), WatchEventsRequest.Parser.ParseFrom),
        new Marshaller<string>((_, _) => throw new NotSupportedException("responses are only read"), context => EventId(context.PayloadAsNewBuffer())));

    /// <summary>Opens a watch whose messages are the changed events' ids ("" for a message without an event).</summary>
    public static AsyncServerStreamingCall<string> Open(CallInvoker invoker, WatchEventsRequest request, CancellationToken cancellationToken) =>
        invoker.AsyncServerStreamingCall(WatchEvents, null, new CallOptions(cancellationToken: cancellationToken), request);

    private static string EventId(byte[] message)
    {
        var input = new CodedInputStream(message);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == EventField && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                var length = input.ReadLength();
                var end = input.Position + length;
                while (input.Position < end && (tag = input.ReadTag()) != 0)
                {
                    if (WireFormat.GetTagFieldNumber(tag) == EventIdField && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                    {
                        return input.ReadString();
                    }

                    input.SkipLastField();
                }

                return "";
            }

            input.SkipLastField();
        }

        return "";
    }
}
