using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;

namespace Tracker.Testing;

/// <summary>
/// A raw gRPC client over HttpClient's HTTP/2 (prior knowledge, cleartext): it sends frames
/// exactly as told and reports everything that comes back, so tests see the wire.
/// </summary>
public sealed class GrpcTestClient(Uri address) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { EnableMultipleHttp2Connections = true })
    {
        BaseAddress = address,
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public static byte[] Frame(IMessage message, bool compressedFlag = false) => Frame(message.ToByteArray(), compressedFlag);

    public static byte[] Frame(byte[] payload, bool compressedFlag = false)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = compressedFlag ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    public Task<GrpcResult> CallAsync(string path, IMessage request, IDictionary<string, string>? headers = null, CancellationToken cancellationToken = default) =>
        SendAsync(path, [Frame(request)], headers, cancellationToken);

    /// <summary>Sends the body as the given chunks, each flushed as its own DATA frame(s).</summary>
    public async Task<GrpcResult> SendAsync(string path, IEnumerable<byte[]> chunks, IDictionary<string, string>? headers = null, CancellationToken cancellationToken = default, string contentType = "application/grpc", Version? version = null)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new ChunkedContent(chunks, contentType),
            Version = version ?? HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        message.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return GrpcResult.From(response, body);
    }

    /// <summary>
    /// Starts a call and returns once the response headers arrived (for a streaming call: once the
    /// server flushed its first message), so a test can act while the stream is open.
    /// </summary>
    public async Task<Func<Task<GrpcResult>>> OpenAsync(string path, IMessage request, CancellationToken cancellationToken = default)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new ChunkedContent([Frame(request)], "application/grpc"),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        message.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        return async () =>
        {
            using (message)
            using (response)
            {
                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                return GrpcResult.From(response, body);
            }
        };
    }

    public void Dispose() => _http.Dispose();

    private sealed class ChunkedContent : HttpContent
    {
        private readonly IEnumerable<byte[]> _chunks;

        public ChunkedContent(IEnumerable<byte[]> chunks, string contentType)
        {
            _chunks = chunks;
            Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            foreach (var chunk in _chunks)
            {
                await stream.WriteAsync(chunk);
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}

/// <summary>What a gRPC call returned: HTTP status, headers, trailers and message payloads.</summary>
public sealed record GrpcResult(
    HttpStatusCode HttpStatus,
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyDictionary<string, string> Trailers,
    IReadOnlyList<byte[]> Messages)
{
    /// <summary>grpc-status from the trailers, or from the headers of a trailers-only response.</summary>
    public int? Status => Get("grpc-status") is { } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : null;

    public string? Message => Get("grpc-message");

    public string? Get(string name) => Trailers.GetValueOrDefault(name) ?? Headers.GetValueOrDefault(name);

    public T Single<T>(MessageParser<T> parser) where T : IMessage<T> => parser.ParseFrom(Messages.Single());

    public IEnumerable<T> All<T>(MessageParser<T> parser) where T : IMessage<T> => Messages.Select(parser.ParseFrom);

    internal static GrpcResult From(HttpResponseMessage response, byte[] body)
    {
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value));
        var trailers = response.TrailingHeaders.ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value));
        var messages = new List<byte[]>();
        var offset = 0;
        while (offset + 5 <= body.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(offset + 1));
            messages.Add(body.AsSpan(offset + 5, length).ToArray());
            offset += 5 + length;
        }

        return new GrpcResult(response.StatusCode, headers, trailers, messages);
    }
}
