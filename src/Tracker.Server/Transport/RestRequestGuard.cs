using Google.Rpc;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Tracker.Server.Transport;

/// <summary>
/// Checks what JSON transcoding cannot refuse by itself before it reads a REST request, and answers
/// with a google.rpc.Status body as the transcoder's own errors have. gRPC and gRPC-Web requests
/// (application/grpc...) pass untouched: Grpc.AspNetCore checks those.
/// <para>
/// The charset: JSON is UTF-8 (RFC 8259 section 8.1). A Content-Type naming any other charset, or
/// one .NET does not know, is answered 415 INVALID_ARGUMENT; the transcoder would throw on an
/// unknown one (HTTP 500 and an Error log). UTF-8 in any spelling (utf8, "UTF-8") is passed on
/// spelt utf-8.
/// </para>
/// <para>
/// The size: bodies are held to <see cref="TrackerApi.MaxMessageBytes"/> (4 MiB), the limit gRPC
/// messages have (DESIGN §4).
/// JSON transcoding reads a body whole with no limit of its own (only Kestrel's 30 MB request
/// limit), so a 20 MiB body, mostly whitespace, would still create an event. A body whose
/// Content-Length is larger is answered at once, unread: 413 with a google.rpc.Status body,
/// RESOURCE_EXHAUSTED (8). A body without Content-Length (chunked) is read through a stream that
/// fails past the limit with the same message, which the transcoder answers as 400
/// INVALID_ARGUMENT.
/// </para>
/// </summary>
internal sealed class RestRequestGuard(RequestDelegate next)
{
    public static readonly string TooLargeMessage = $"The request body is larger than the {TrackerApi.MaxMessageBytes}-byte (4 MiB) limit.";

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true)
        {
            return next(context);
        }

        if (MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) && mediaType.Charset.HasValue)
        {
            var charset = HeaderUtilities.RemoveQuotes(mediaType.Charset).Value;
            if (!string.Equals(charset, "utf-8", StringComparison.OrdinalIgnoreCase) && !string.Equals(charset, "utf8", StringComparison.OrdinalIgnoreCase))
            {
                return RefuseAsync(context, StatusCodes.Status415UnsupportedMediaType, Code.InvalidArgument, $"Content-Type charset must be utf-8 (JSON is UTF-8, RFC 8259), not '{RestStatusBody.Echo(charset, 32)}'.");
            }

            // The transcoder looks the charset up as written: a quoted "UTF-8" (RFC 9110 allows
            // it) would be unknown to it, so it gets the plain spelling.
            mediaType.Charset = "utf-8";
            request.ContentType = mediaType.ToString();
        }

        if (request.ContentLength > TrackerApi.MaxMessageBytes)
        {
            return RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, Code.ResourceExhausted, TooLargeMessage);
        }

        if (request.ContentLength is null && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != false)
        {
            request.Body = new LimitedReadStream(request.Body, TrackerApi.MaxMessageBytes);
        }

        return next(context);
    }

    private static Task RefuseAsync(HttpContext context, int httpStatus, Code code, string message) =>
        RestStatusBody.WriteAsync(context.Response, httpStatus, code, message);

    /// <summary>Reads a body of unknown length, failing once it passes the limit.</summary>
    private sealed class LimitedReadStream(Stream body, long limit) : ReadOnlyStream
    {
        private long _read;

        public override int Read(Span<byte> buffer) => Count(body.Read(buffer));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int read)
        {
            _read += read;
            return _read > limit
                ? throw new BadHttpRequestException(TooLargeMessage, StatusCodes.Status413PayloadTooLarge)
                : read;
        }
    }
}
