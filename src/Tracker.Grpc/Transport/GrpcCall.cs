using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Tracker.Grpc.Transport;

/// <summary>
/// The state of one gRPC call on one HTTP/2 stream: its context, deadline and cancellation,
/// its request reader, and its response writes, serialized so that a status written at the
/// deadline and a message written by the handler never interleave.
/// </summary>
internal sealed class GrpcCall : IServerStreamWriter<IMessage>, IDisposable
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _cancellation;
    private readonly GrpcFrameReader _reader;
    private bool _completed;
    private bool _messageWritten;

    public GrpcCall(HttpContext httpContext, GrpcMethod method, TimeProvider clock, int maxReceiveMessageSize)
    {
        HttpContext = httpContext;
        Method = method;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted);

        var request = httpContext.Request;
        if (GrpcTimeout.TryParse(request.Headers[GrpcProtocol.TimeoutHeader], out var timeout))
        {
            Deadline = CallDeadline.Start(clock, timeout, _cancellation);
        }

        // A stream may stay open for as long as the call lasts, at any pace.
        if (httpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = null;
        }

        if (httpContext.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } dataRate)
        {
            dataRate.MinDataRate = null;
        }

        _reader = new GrpcFrameReader(request.BodyReader, method.RequestParser, request.Headers[GrpcProtocol.EncodingHeader], maxReceiveMessageSize);
        Context = new ServerCallContext(httpContext, method.Path, Deadline?.At, _cancellation.Token);

        var response = httpContext.Response;
        response.ContentType = GrpcProtocol.ContentType;
        response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.SupportedEncodings;
    }

    public HttpContext HttpContext { get; }

    public GrpcMethod Method { get; }

    public ServerCallContext Context { get; }

    public CallDeadline? Deadline { get; }

    public CancellationToken CancellationToken => _cancellation.Token;

    /// <summary>The single request message of a unary or server-streaming call.</summary>
    public async Task<IMessage> ReadSingleMessageAsync()
    {
        var message = await _reader.ReadAsync(CancellationToken).ConfigureAwait(false)
            ?? throw new RpcException(StatusCode.Internal, "Request did not contain a message.");
        if (await _reader.ReadAsync(CancellationToken).ConfigureAwait(false) is not null)
        {
            throw new RpcException(StatusCode.Internal, "Additional data after the message received.");
        }

        return message;
    }

    /// <summary>The request messages of a client-streaming or bidirectional call, as they arrive.</summary>
    public async IAsyncEnumerable<IMessage> ReadAllMessagesAsync()
    {
        while (await _reader.ReadAsync(CancellationToken).ConfigureAwait(false) is { } message)
        {
            yield return message;
        }
    }

    public Task WriteAsync(IMessage message, CancellationToken cancellationToken = default) =>
        WriteAsync(message, flush: true, cancellationToken);

    /// <summary>
    /// Writes the one response of a unary or client-streaming call without flushing it: the
    /// status follows at once, and Kestrel then sends the message and the trailers together.
    /// </summary>
    public Task WriteSingleResponseAsync(IMessage message) => WriteAsync(message, flush: false, CancellationToken);

    private async Task WriteAsync(IMessage message, bool flush, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_completed)
            {
                throw new InvalidOperationException("Can't write the message because the call is complete.");
            }

            GrpcFrameWriter.Write(HttpContext.Response.BodyWriter, message);
            _messageWritten = true;
            if (flush)
            {
                await HttpContext.Response.BodyWriter.FlushAsync(CancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Writes the final status once; later attempts do nothing.</summary>
    public async Task CompleteAsync(StatusCode code, string? message, Google.Rpc.Status? details = null)
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            if (HttpContext.RequestAborted.IsCancellationRequested)
            {
                // The client reset the stream: there is no one left to tell.
                return;
            }

            GrpcStatusWriter.Write(HttpContext.Response, code, message, details, Context.ResponseTrailers, _messageWritten);
            await HttpContext.Response.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (ClientDisconnect.Is(e, HttpContext))
        {
            // The connection went away while the status was on its way; nobody is listening.
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public void Dispose()
    {
        Deadline?.Dispose();
        _cancellation.Dispose();
    }
}
