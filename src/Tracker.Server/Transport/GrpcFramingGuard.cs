using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Grpc.Core;

namespace Tracker.Server.Transport;

/// <summary>
/// Checks the framing of gRPC and gRPC-Web request bodies before Grpc.AspNetCore reads them, and
/// answers the faults it would take for a fault of the service (UNKNOWN, "Exception was thrown by
/// handler.", and an Error log with a stack trace) with the status grpc-go, grpc-java and C-core
/// give:
/// <list type="bullet">
/// <item>a Length-Prefixed-Message (gRPC over HTTP/2, PROTOCOL-HTTP2.md) whose declared length is
/// over the 4 MiB limit, up to 0xFFFFFFFF: RESOURCE_EXHAUSTED, before a byte of it is read;</item>
/// <item>a Compressed-Flag other than 0 or 1: INTERNAL;</item>
/// <item>an application/grpc-web-text body that is not base64 (PROTOCOL-WEB.md): INTERNAL.</item>
/// </list>
/// It runs after the gRPC-Web middleware, so it reads what Grpc.AspNetCore reads: the decoded bytes
/// of gRPC-Web-text. That middleware rewrites the content type to application/grpc, so
/// <see cref="GrpcWebTextBody"/>, before it, marks gRPC-Web-text requests.
/// </summary>
internal sealed class GrpcFramingGuard(RequestDelegate next)
{
    private const int PrefixBytes = 5;

    public Task InvokeAsync(HttpContext context)
    {
        if (!GrpcStatusResponse.IsGrpc(context.Request))
        {
            return next(context);
        }

        var webText = context.Features.Get<GrpcWebTextBody.Reader>();
        return context.ReadThroughAsync(new FramingCheckedReader(context.Request.BodyReader, webText), next);
    }

    private static RpcException Refuse(StatusCode code, string message) => new(new Status(code, message));

    /// <summary>Passes the body through, checking each message's 5-byte prefix as it arrives.</summary>
    private sealed class FramingCheckedReader(PipeReader inner, GrpcWebTextBody.Reader? webText) : PipeReader
    {
        private ReadOnlySequence<byte> _lastBuffer;
        // Offsets from the start of the body: of the last buffer's start, and of the next prefix.
        private long _consumed;
        private long _nextPrefix;

        public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            ReadResult result;
            try
            {
                result = await inner.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException) when (webText is not null)
            {
                // Grpc.AspNetCore.Web's base64 reader reports text it cannot decode this way, and
                // leaves its read of the body open; closing it lets the server drain the body.
                webText.ReleaseOpenRead();
                throw Refuse(StatusCode.Internal, "The request body is not valid base64 (application/grpc-web-text).");
            }

            CheckOrGiveBack(result.Buffer);
            return result;
        }

        public override bool TryRead(out ReadResult result)
        {
            if (!inner.TryRead(out result))
            {
                return false;
            }

            CheckOrGiveBack(result.Buffer);
            return true;
        }

        public override void AdvanceTo(SequencePosition consumed)
        {
            _consumed += _lastBuffer.Slice(_lastBuffer.Start, consumed).Length;
            inner.AdvanceTo(consumed);
        }

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
        {
            _consumed += _lastBuffer.Slice(_lastBuffer.Start, consumed).Length;
            inner.AdvanceTo(consumed, examined);
        }

        public override void CancelPendingRead() => inner.CancelPendingRead();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        /// <summary>
        /// Checks the prefixes in <paramref name="buffer"/>; on a fault, ends the read before refusing:
        /// Kestrel drains an HTTP/1.1 body after the response, and cannot while a read is still open
        /// (it would log "Reading is already in progress" at Error).
        /// </summary>
        private void CheckOrGiveBack(ReadOnlySequence<byte> buffer)
        {
            try
            {
                Check(buffer);
            }
            catch (RpcException)
            {
                inner.AdvanceTo(buffer.Start, buffer.End);
                throw;
            }
        }

        private void Check(ReadOnlySequence<byte> buffer)
        {
            _lastBuffer = buffer;
            Span<byte> prefix = stackalloc byte[PrefixBytes];
            while (_nextPrefix >= _consumed && _nextPrefix - _consumed + PrefixBytes <= buffer.Length)
            {
                buffer.Slice(_nextPrefix - _consumed, PrefixBytes).CopyTo(prefix);
                if (prefix[0] > 1)
                {
                    throw Refuse(StatusCode.Internal, $"The request message has Compressed-Flag {prefix[0]}; gRPC allows 0 or 1.");
                }

                var length = BinaryPrimitives.ReadUInt32BigEndian(prefix[1..]);
                if (length > TrackerApi.MaxMessageBytes)
                {
                    throw Refuse(StatusCode.ResourceExhausted, $"The request message is {length} bytes long; at most {TrackerApi.MaxMessageBytes} are allowed.");
                }

                _nextPrefix += PrefixBytes + length;
            }
        }
    }
}

/// <summary>Registers gRPC-Web with the framing checks around it.</summary>
internal static class GrpcFramingGuardExtensions
{
    /// <summary><see cref="GrpcWebTextBody"/>, the gRPC-Web middleware, then <see cref="GrpcFramingGuard"/>.</summary>
    public static void UseGrpcWebWithFramingGuard(this WebApplication app, GrpcWebOptions options)
    {
        app.UseMiddleware<GrpcWebTextBody>();
        app.UseGrpcWeb(options);
        app.UseMiddleware<GrpcFramingGuard>();
    }
}
