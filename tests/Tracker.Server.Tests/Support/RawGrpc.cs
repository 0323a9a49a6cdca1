using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;

namespace Tracker.Server.Tests.Support;

/// <summary>
/// gRPC requests written byte by byte (HTTP/2, application/grpc, length-prefixed frames), for what
/// a well-behaved client never sends: corrupt compressed messages, encodings the server lacks.
/// </summary>
public static class RawGrpc
{
    /// <summary>A length-prefixed message: the compressed flag, a 4-byte big-endian length, the payload.</summary>
    public static byte[] Frame(byte[] payload, byte compressedFlag = 0)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = compressedFlag;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    public static byte[] Gunzip(byte[] data)
    {
        using var gzip = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>POSTs <paramref name="body"/> to /<paramref name="service"/>/<paramref name="method"/> as an HTTP/2 gRPC request.</summary>
    public static Task<RawGrpcResponse> SendAsync(HttpClient client, string service, string method, byte[] body, params (string Name, string Value)[] headers) =>
        SendAsync(client, service, method, body, "application/grpc", headers);

    /// <summary>As above, with another content type, e.g. application/grpc-web.</summary>
    public static async Task<RawGrpcResponse> SendAsync(HttpClient client, string service, string method, byte[] body, string contentType, params (string Name, string Value)[] headers)
    {
        using var request = Request(service, method, body, contentType, headers);
        using var response = await client.SendAsync(request).Bounded();
        var bytes = await response.Content.ReadAsByteArrayAsync().Bounded();
        return new RawGrpcResponse(response.StatusCode, Flatten(response.Headers), Flatten(response.TrailingHeaders), bytes);
    }

    /// <summary>
    /// Calls a server-streaming method over HTTP/2 and reads its first <paramref name="count"/>
    /// messages as they come, each as its compressed flag and payload, then leaves the call.
    /// </summary>
    public static async Task<IReadOnlyList<(byte CompressedFlag, byte[] Payload)>> ReadMessagesAsync(HttpClient client, string service, string method, byte[] body, int count, params (string Name, string Value)[] headers)
    {
        using var request = Request(service, method, body, "application/grpc", headers);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).Bounded();
        await using var stream = await response.Content.ReadAsStreamAsync().Bounded();
        var messages = new List<(byte, byte[])>();
        var prefix = new byte[5];
        while (messages.Count < count)
        {
            await stream.ReadExactlyAsync(prefix).AsTask().Bounded();
            var payload = new byte[System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(prefix.AsSpan(1))];
            await stream.ReadExactlyAsync(payload).AsTask().Bounded();
            messages.Add((prefix[0], payload));
        }

        return messages;
    }

    private static HttpRequestMessage Request(string service, string method, byte[] body, string contentType, (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/{service}/{method}")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    private static Dictionary<string, string> Flatten(HttpHeaders headers) =>
        headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value));
}

/// <summary>A raw gRPC answer; the status is in the trailers, or in the headers of a trailers-only response.</summary>
public sealed record RawGrpcResponse(HttpStatusCode HttpStatus, IReadOnlyDictionary<string, string> Headers, IReadOnlyDictionary<string, string> Trailers, byte[] Body)
{
    public StatusCode GrpcStatus => (StatusCode)int.Parse(Field("grpc-status") ?? "-1", System.Globalization.CultureInfo.InvariantCulture);

    public string? GrpcMessage => Field("grpc-message") is { } message ? Uri.UnescapeDataString(message) : null;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    private string? Field(string name) =>
        Trailers.TryGetValue(name, out var value) ? value : Headers.TryGetValue(name, out value) ? value : null;

    public override string ToString() =>
        $"HTTP {(int)HttpStatus}, grpc-status {Field("grpc-status")}, grpc-message '{GrpcMessage}', {Body.Length} body bytes";
}
