using System.Text;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace Tracker.Grpc.Transcoding;

/// <summary>
/// A server-streaming call's responses as newline-delimited JSON: one message per line,
/// flushed as it is written so clients see each one when it happens.
/// </summary>
internal sealed class NdjsonStreamWriter : IServerStreamWriter<IMessage>
{
    private readonly HttpResponse _response;
    private readonly TranscodingResponseWriter _writer;
    private readonly TranscodingRoute _route;
    private readonly SemaphoreSlim _lock = new(1, 1);

    public NdjsonStreamWriter(HttpResponse response, TranscodingResponseWriter writer, TranscodingRoute route)
    {
        _response = response;
        _writer = writer;
        _route = route;
    }

    public async Task WriteAsync(IMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var line = _writer.Format(message, _route.ResponseBodyField) + "\n";
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_response.HasStarted)
            {
                _response.StatusCode = StatusCodes.Status200OK;
                _response.ContentType = TranscodingResponseWriter.JsonContentType;
            }

            await _response.WriteAsync(line, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
            await _response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }
}
