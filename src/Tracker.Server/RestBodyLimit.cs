using Google.Protobuf;
using Google.Rpc;
using Microsoft.AspNetCore.Http.Features;

namespace Tracker.Server;

/// <summary>
/// Holds REST request bodies to <see cref="TrackerApi.MaxMessageBytes"/> (4 MiB), the limit gRPC
/// messages have (DESIGN §4).
/// <para>
/// JSON transcoding reads a body whole with no limit of its own (only Kestrel's 30 MB request
/// limit), so a 20 MiB body, mostly whitespace, would still create an event. A body whose
/// Content-Length is larger is answered at once, unread: 413 with a google.rpc.Status body,
/// RESOURCE_EXHAUSTED (8). A body without Content-Length (chunked) is read through a stream that
/// fails past the limit with the same message, which the transcoder answers as 400
/// INVALID_ARGUMENT. gRPC and gRPC-Web requests (application/grpc...) pass untouched:
/// Grpc.AspNetCore limits each of their messages.
/// </para>
/// </summary>
internal sealed class RestBodyLimit(RequestDelegate next)
{
    public static readonly string TooLargeMessage = $"The request body is larger than the {TrackerApi.MaxMessageBytes}-byte (4 MiB) limit.";

    private static readonly JsonFormatter StatusFormatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true)
        {
            return next(context);
        }

        if (request.ContentLength > TrackerApi.MaxMessageBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            context.Response.ContentType = "application/json; charset=utf-8";
            var status = new Google.Rpc.Status { Code = (int)Code.ResourceExhausted, Message = TooLargeMessage };
            return context.Response.WriteAsync(StatusFormatter.Format(status), context.RequestAborted);
        }

        if (request.ContentLength is null && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != false)
        {
            request.Body = new LimitedReadStream(request.Body, TrackerApi.MaxMessageBytes);
        }

        return next(context);
    }

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
