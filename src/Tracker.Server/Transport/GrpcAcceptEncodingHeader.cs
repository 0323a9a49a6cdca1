using Grpc.AspNetCore.Server;
using Microsoft.Extensions.Options;

namespace Tracker.Server.Transport;

/// <summary>
/// Advertises on every gRPC and gRPC-Web response the message encodings the server accepts
/// (<c>grpc-accept-encoding: identity,gzip</c>), so a client knows it may compress its requests
/// (gRPC compression spec, grpc/doc/compression.md). Grpc.AspNetCore sends the header only with
/// the UNIMPLEMENTED answer to an encoding it lacks; where it has set the header, it is kept.
/// REST responses are left alone.
/// </summary>
internal sealed class GrpcAcceptEncodingHeader(RequestDelegate next, IOptions<GrpcServiceOptions> options)
{
    private const string HeaderName = "grpc-accept-encoding";

    private readonly string _accepted = string.Join(',', ["identity", .. options.Value.CompressionProviders.Select(p => p.EncodingName)]);

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true)
        {
            var response = context.Response;
            response.OnStarting(() =>
            {
                response.Headers.TryAdd(HeaderName, _accepted);
                return Task.CompletedTask;
            });
        }

        return next(context);
    }
}
