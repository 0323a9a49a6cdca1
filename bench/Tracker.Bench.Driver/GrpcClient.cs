using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;

namespace Tracker.Bench.Driver;

/// <summary>
/// A minimal unary gRPC client over HttpClient's cleartext HTTP/2 (prior knowledge). It reads
/// grpc-status from the trailers (or the headers of a trailers-only answer) of every call, which
/// h2load cannot do: an HTTP 200 with grpc-status 13 is a failure here.
/// </summary>
internal sealed class GrpcClient : IDisposable
{
    private static readonly MediaTypeHeaderValue GrpcContentType = new("application/grpc");
    private readonly HttpClient _http;

    public GrpcClient(Uri address)
    {
        _http = new HttpClient(new SocketsHttpHandler { EnableMultipleHttp2Connections = true, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = address,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public static byte[] Frame(IMessage message)
    {
        var payload = message.ToByteArray();
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    /// <summary>Calls a unary method; throws <see cref="GrpcCallException"/> unless grpc-status is 0.</summary>
    public async Task<T> CallAsync<T>(string path, IMessage request, MessageParser<T> parser, CancellationToken cancellationToken = default)
        where T : IMessage<T>
    {
        var body = await SendAsync(path, request, cancellationToken);
        return parser.ParseFrom(body, 5, body.Length - 5);
    }

    /// <summary>
    /// Calls a unary method and returns the size of its response message without decoding it,
    /// as the SQL baseline reads its rows' bytes without decoding them; throws unless grpc-status is 0.
    /// </summary>
    public async Task<int> CallRawAsync(string path, IMessage request, CancellationToken cancellationToken = default) =>
        (await SendAsync(path, request, cancellationToken)).Length - 5;

    /// <summary>The response body (one length-prefixed message) of a call answered with grpc-status 0.</summary>
    private async Task<byte[]> SendAsync(string path, IMessage request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new ByteArrayContent(Frame(request)),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        message.Content.Headers.ContentType = GrpcContentType;
        message.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var status = Header(response, "grpc-status");
        if (response.StatusCode != HttpStatusCode.OK || status != "0")
        {
            throw new GrpcCallException(path, (int)response.StatusCode, status, Header(response, "grpc-message"));
        }

        if (body.Length < 5 || BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(1)) != body.Length - 5)
        {
            throw new GrpcCallException(path, 200, status, "not one whole response message");
        }

        return body;
    }

    public void Dispose() => _http.Dispose();

    private static string? Header(HttpResponseMessage response, string name) =>
        response.TrailingHeaders.TryGetValues(name, out var trailer) ? trailer.FirstOrDefault()
        : response.Headers.TryGetValues(name, out var header) ? header.FirstOrDefault()
        : null;
}

internal sealed class GrpcCallException(string path, int httpStatus, string? grpcStatus, string? grpcMessage)
    : Exception($"{path}: HTTP {httpStatus}, grpc-status {grpcStatus ?? "(none)"}, grpc-message {grpcMessage ?? "(none)"}")
{
    public string? GrpcStatus { get; } = grpcStatus;
}
