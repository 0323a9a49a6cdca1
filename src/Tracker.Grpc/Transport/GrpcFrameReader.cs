using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Pipelines;
using Google.Protobuf;

namespace Tracker.Grpc.Transport;

/// <summary>
/// Reads length-prefixed messages (1 byte compressed flag, 4 bytes big-endian length, payload)
/// from a request body, whatever the DATA frame boundaries, and parses them.
/// </summary>
internal sealed class GrpcFrameReader(PipeReader body, MessageParser parser, string? encoding, int maxMessageSize)
{
    /// <summary>The next message, or null at the end of the stream.</summary>
    public async ValueTask<IMessage?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await body.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (TryReadFrame(ref buffer, out var message))
            {
                body.AdvanceTo(buffer.Start);
                return message;
            }

            if (result.IsCompleted)
            {
                var leftover = buffer.Length;
                body.AdvanceTo(buffer.End);
                if (leftover == 0)
                {
                    return null;
                }

                throw new RpcException(StatusCode.Internal, "Incomplete message.");
            }

            body.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out IMessage? message)
    {
        message = null;
        if (buffer.Length < GrpcProtocol.HeaderSize)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[GrpcProtocol.HeaderSize];
        buffer.Slice(0, GrpcProtocol.HeaderSize).CopyTo(header);
        var compressed = header[0] switch
        {
            0 => false,
            1 => true,
            _ => throw new RpcException(StatusCode.Internal, "Invalid compressed flag in message header."),
        };
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (length > maxMessageSize)
        {
            throw new RpcException(StatusCode.ResourceExhausted, "Received message exceeds the maximum configured message size.");
        }

        if (buffer.Length < GrpcProtocol.HeaderSize + length)
        {
            return false;
        }

        var payload = buffer.Slice(GrpcProtocol.HeaderSize, length);
        message = compressed ? ParseCompressed(payload) : Parse(payload);
        buffer = buffer.Slice(payload.End);
        return true;
    }

    private IMessage ParseCompressed(ReadOnlySequence<byte> payload)
    {
        if (encoding is null or "identity")
        {
            throw new RpcException(StatusCode.Internal, "Request did not include grpc-encoding value with compressed message.");
        }

        using var input = new MemoryStream(payload.ToArray());
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = gzip.Read(chunk, 0, chunk.Length)) > 0)
        {
            // Bound the decompressed size too, or a small gzip bomb would pass the limit.
            if (output.Length + read > maxMessageSize)
            {
                throw new RpcException(StatusCode.ResourceExhausted, "Received message exceeds the maximum configured message size.");
            }

            output.Write(chunk, 0, read);
        }

        return Parse(new ReadOnlySequence<byte>(output.GetBuffer(), 0, (int)output.Length));
    }

    private IMessage Parse(ReadOnlySequence<byte> payload)
    {
        try
        {
            return parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException)
        {
            throw new RpcException(StatusCode.Internal, "Error deserializing the request message.");
        }
    }
}
