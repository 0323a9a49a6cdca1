using System.Buffers.Binary;
using System.IO.Compression;
using Grpc.Core;
using Grpc.Net.Compression;

namespace Tracker.Server.Transport;

/// <summary>
/// gzip for gRPC messages (grpc-encoding: gzip), where a request message that is not one whole,
/// valid gzip member answers INTERNAL, as the gRPC compression spec (grpc/doc/compression.md),
/// grpc-go, grpc-java and C-core do.
/// <para>
/// Grpc.Net.Compression's provider fails two ways on bad data. Corrupt data throws
/// InvalidDataException, which Grpc.AspNetCore takes for a fault of the service: UNKNOWN
/// "Exception was thrown by handler." and an Error log with a stack trace. Truncated data throws
/// nothing: GZipStream ends where its input does, and the service gets the prefix of a message
/// (an empty GetEventRequest, or a CreateEventRequest missing its last fields). Here both become
/// INTERNAL; a truncated member is caught by its trailer, whose last 4 bytes (ISIZE, RFC 1952)
/// must equal the decompressed length, while zlib checks the trailer's CRC-32 itself. Messages are
/// one gzip member, as every gRPC implementation writes them. Compression of responses, and the
/// limit on decompressed messages, stay Grpc.Net's and Grpc.AspNetCore's.
/// </para>
/// <para>
/// deflate, which Grpc.AspNetCore also offers by default, is not offered: raw deflate has no
/// trailer, so a truncated message could not be told from a whole one. A client sending it gets
/// UNIMPLEMENTED with grpc-accept-encoding "identity,gzip", as the spec asks.
/// </para>
/// </summary>
internal sealed class CheckedGzipCompression(CompressionLevel level) : ICompressionProvider
{
    private readonly GzipCompressionProvider _gzip = new(level);

    public string EncodingName => _gzip.EncodingName;

    public Stream CreateCompressionStream(Stream stream, CompressionLevel? compressionLevel) =>
        _gzip.CreateCompressionStream(stream, compressionLevel);

    public Stream CreateDecompressionStream(Stream stream)
    {
        var compressed = new TailRecordingStream(stream);
        return new CheckedReadStream(_gzip.CreateDecompressionStream(compressed), compressed);
    }

    private static RpcException NotGzip() =>
        new(new Status(StatusCode.Internal, "The request message is not valid gzip data (grpc-encoding: gzip)."));

    /// <summary>The decompressed message, checked as it is read and at its end.</summary>
    private sealed class CheckedReadStream(Stream decompressed, TailRecordingStream compressed) : ReadOnlyStream
    {
        private long _length;

        public override int Read(Span<byte> buffer)
        {
            int read;
            try
            {
                read = decompressed.Read(buffer);
            }
            catch (InvalidDataException)
            {
                // Its message says only how the bytes are wrong; the client is told what matters.
                throw NotGzip();
            }

            _length += read;
            if (read == 0 && buffer.Length > 0 && compressed.Tail != (uint)_length)
            {
                throw NotGzip();
            }

            return read;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                decompressed.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>The compressed input, keeping its last 4 bytes (little-endian): a whole member's ISIZE.</summary>
    private sealed class TailRecordingStream(Stream input) : ReadOnlyStream
    {
        private readonly byte[] _tail = new byte[4];
        private int _seen;

        public uint? Tail => _seen >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(_tail) : null;

        public override int Read(Span<byte> buffer)
        {
            var read = input.Read(buffer);
            var chunk = buffer[..read];
            if (chunk.Length >= 4)
            {
                chunk[^4..].CopyTo(_tail);
            }
            else if (chunk.Length > 0)
            {
                _tail.AsSpan(chunk.Length).CopyTo(_tail);
                chunk.CopyTo(_tail.AsSpan(4 - chunk.Length));
            }

            _seen += read;
            return read;
        }
    }
}
