using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;

namespace Tracker.Grpc.Transport;

/// <summary>Writes one uncompressed length-prefixed message into a response body.</summary>
internal static class GrpcFrameWriter
{
    public static void Write(PipeWriter body, IMessage message)
    {
        var size = message.CalculateSize();
        var span = body.GetSpan(GrpcProtocol.HeaderSize + size);
        span[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)size);
        message.WriteTo(span.Slice(GrpcProtocol.HeaderSize, size));
        body.Advance(GrpcProtocol.HeaderSize + size);
    }
}
