using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace Tracker.Grpc.Transport;

/// <summary>
/// The one place a call's status is written: as trailers after the response has started, or
/// in the headers of a trailers-only response when nothing was sent yet.
/// </summary>
internal static class GrpcStatusWriter
{
    /// <param name="messageWritten">
    /// Whether a message is in the body, sent or not: a unary response is written unflushed, so
    /// the response may not have started, yet its status still belongs in trailers.
    /// </param>
    public static void Write(HttpResponse response, StatusCode code, string? message, Google.Rpc.Status? details, IHeaderDictionary? trailers, bool messageWritten = false)
    {
        var trailersOnly = !response.HasStarted && !messageWritten;
        Action<string, string> write = trailersOnly
            ? (name, value) => response.Headers[name] = value
            : (name, value) => response.AppendTrailer(name, value);

        if (trailersOnly)
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = GrpcProtocol.ContentType;
        }

        if (trailers is not null)
        {
            foreach (var (name, values) in trailers)
            {
                write(name, values.ToString());
            }
        }

        write(GrpcProtocol.StatusHeader, ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(message))
        {
            write(GrpcProtocol.MessageHeader, GrpcMessageEncoding.Encode(message));
        }

        if (details is not null)
        {
            // Binary metadata is base64; the protocol asks senders to omit the padding.
            write(GrpcProtocol.StatusDetailsHeader, Convert.ToBase64String(details.ToByteArray()).TrimEnd('='));
        }
    }

    /// <summary>
    /// An answer to a request that is not a valid gRPC call: an HTTP status plus grpc-status
    /// headers, so that both HTTP-level and gRPC-level clients see the reason.
    /// </summary>
    public static void WriteHttpError(HttpResponse response, int httpStatus, StatusCode code, string message)
    {
        response.StatusCode = httpStatus;
        response.ContentType = GrpcProtocol.ContentType;
        response.Headers[GrpcProtocol.StatusHeader] = ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers[GrpcProtocol.MessageHeader] = GrpcMessageEncoding.Encode(message);
    }
}
