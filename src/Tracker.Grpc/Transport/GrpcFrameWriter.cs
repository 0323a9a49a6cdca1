using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;

namespace Tracker.Grpc.Transport;

/// <summary>Writes one uncompressed length-prefixed message into a response body; an encoded one as it is.</summary>
internal static class GrpcFrameWriter
{
    public static void Write(PipeWriter body, IMessage message)
    {
        var size = message.CalculateSize();
        var span = body.GetSpan(GrpcProtocol.HeaderSize + size);
        span[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)size);
        var payload = span.Slice(GrpcProtocol.HeaderSize, size);
        if (message is IEncodedMessage encoded)
        {
            encoded.Bytes.CopyTo(payload);
        }
        else
        {
            message.WriteTo(payload);
        }

        body.Advance(GrpcProtocol.HeaderSize + size);
    }
}
