using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Tracker.Server.Transport;

/// <summary>
/// Lets one cleartext endpoint serve both HTTP/1.1 and HTTP/2 with prior knowledge (h2c), as
/// REST clients (curl) and gRPC clients both expect. Kestrel picks HTTP/2 on an
/// Http1AndHttp2 endpoint only from TLS ALPN, so this looks at the first bytes of each
/// connection, without consuming them, and announces the protocol it saw as if ALPN had.
/// </summary>
internal static class CleartextProtocolSniffer
{
    /// <summary>
    /// Sniffs every connection of this endpoint. h2c streams then carry ":scheme http" on what
    /// Kestrel believes is a TLS connection, which alternate schemes allow.
    /// </summary>
    public static ListenOptions UseCleartextHttp2Detection(this ListenOptions listen)
    {
        listen.KestrelServerOptions.AllowAlternateSchemes = true;
        listen.Use(next => connection => SniffAsync(connection, () => next(connection)));
        return listen;
    }

    private static readonly byte[] Http2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    public static async Task SniffAsync(ConnectionContext connection, Func<Task> next)
    {
        var input = connection.Transport.Input;
        while (true)
        {
            // No token: when the client closes its side before the protocol is known, the read
            // completes with the bytes that came and the HTTP parser decides what they are. A
            // reset or an abort ends the connection quietly: there is nothing left to serve.
            ReadResult result;
            try
            {
                result = await input.ReadAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is ConnectionResetException or ConnectionAbortedException)
            {
                return;
            }

            var buffer = result.Buffer;
            var decided = Decide(buffer, out var isHttp2);
            if (decided || result.IsCompleted)
            {
                // Leave every byte unread and unexamined for the HTTP parser that runs next.
                input.AdvanceTo(buffer.Start);
                if (isHttp2)
                {
                    // Without a TLS feature Kestrel answers HTTP/1.1 on this endpoint.
                    var protocol = new SniffedProtocolFeature("h2"u8.ToArray());
                    connection.Features.Set<ITlsApplicationProtocolFeature>(protocol);
                    connection.Features.Set<ITlsConnectionFeature>(protocol);
                }

                break;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }

        await next().ConfigureAwait(false);
    }

    private static bool Decide(ReadOnlySequence<byte> buffer, out bool isHttp2)
    {
        var length = (int)Math.Min(buffer.Length, Http2Preface.Length);
        Span<byte> start = stackalloc byte[Http2Preface.Length];
        buffer.Slice(0, length).CopyTo(start);
        var matchesSoFar = start[..length].SequenceEqual(Http2Preface.AsSpan(0, length));
        isHttp2 = matchesSoFar && length == Http2Preface.Length;
        return !matchesSoFar || isHttp2;
    }
}

/// <summary>
/// The protocol a cleartext connection was seen to speak, presented the way Kestrel reads an
/// ALPN result. It carries no certificate: there is no TLS here.
/// </summary>
internal sealed class SniffedProtocolFeature(ReadOnlyMemory<byte> protocol) : ITlsApplicationProtocolFeature, ITlsConnectionFeature
{
    public ReadOnlyMemory<byte> ApplicationProtocol { get; } = protocol;

    public X509Certificate2? ClientCertificate { get; set; }

    public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) =>
        Task.FromResult<X509Certificate2?>(null);
}
