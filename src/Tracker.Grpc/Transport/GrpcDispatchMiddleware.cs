using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Tracker.Grpc.Transport;

/// <summary>
/// Claims POST requests to a bound method's path and every request that says it is gRPC,
/// checks what the protocol requires of them, and hands each call to its kind's handler.
/// Anything else goes on to the rest of the pipeline (REST routes, health endpoints).
/// </summary>
internal sealed class GrpcDispatchMiddleware
{
    private readonly RequestDelegate _next;
    private readonly GrpcServiceRegistry _registry;
    private readonly TimeProvider _clock;
    private readonly GrpcRuntimeOptions _options;
    private readonly ILogger _logger;
    private readonly Dictionary<MethodKind, CallHandler> _handlers;
    private HashSet<string>? _serviceNames;

    public GrpcDispatchMiddleware(RequestDelegate next, GrpcServiceRegistry registry, TimeProvider clock, IOptions<GrpcRuntimeOptions> options, ILogger<GrpcDispatchMiddleware> logger)
    {
        _next = next;
        _registry = registry;
        _clock = clock;
        _options = options.Value;
        _logger = logger;
        _handlers = new()
        {
            [MethodKind.Unary] = new UnaryCallHandler(logger),
            [MethodKind.ServerStreaming] = new ServerStreamingCallHandler(logger),
            [MethodKind.ClientStreaming] = new ClientStreamingCallHandler(logger),
            [MethodKind.DuplexStreaming] = new DuplexStreamingCallHandler(logger),
        };
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var contentType = request.ContentType;
        var method = HttpMethods.IsPost(request.Method) ? _registry.Find(request.Path.Value ?? "") : null;
        if (method is null && !(HttpMethods.IsPost(request.Method) && GrpcProtocol.ClaimsGrpc(contentType)))
        {
            await _next(context).ConfigureAwait(false);
            return;
        }

        if (Reject(context, method) is { } reason)
        {
            GrpcLog.RequestRejected(_logger, request.Path.Value ?? "", reason);
            return;
        }

        using var call = new GrpcCall(context, method!, _clock, _options.MaxReceiveMessageSize);
        await _handlers[method!.Kind].HandleAsync(call).ConfigureAwait(false);
    }

    /// <summary>Answers a request that cannot become a call, and says why; null when it can.</summary>
    private string? Reject(HttpContext context, GrpcMethod? method)
    {
        var request = context.Request;
        var response = context.Response;
        if (!GrpcProtocol.IsGrpcContentType(request.ContentType))
        {
            var message = $"Content-Type '{request.ContentType}' is not supported.";
            GrpcStatusWriter.WriteHttpError(response, StatusCodes.Status415UnsupportedMediaType, StatusCode.Internal, message);
            return message;
        }

        if (!HttpProtocol.IsHttp2(request.Protocol) && !HttpProtocol.IsHttp3(request.Protocol))
        {
            var message = $"Request protocol '{request.Protocol}' is not supported.";
            GrpcStatusWriter.WriteHttpError(response, StatusCodes.Status426UpgradeRequired, StatusCode.Internal, message);
            return message;
        }

        if (method is null)
        {
            var message = IsKnownService(request.Path.Value) ? "Method is unimplemented." : "Service is unimplemented.";
            GrpcStatusWriter.Write(response, StatusCode.Unimplemented, message, null, null);
            return message;
        }

        var encoding = request.Headers[GrpcProtocol.EncodingHeader].ToString();
        if (encoding.Length > 0 && encoding != "identity" && encoding != "gzip")
        {
            var message = $"Unsupported grpc-encoding value '{encoding}'. Supported encodings: identity, gzip";
            response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.SupportedEncodings;
            GrpcStatusWriter.Write(response, StatusCode.Unimplemented, message, null, null);
            return message;
        }

        return null;
    }

    private bool IsKnownService(string? path)
    {
        _serviceNames ??= _registry.Services.Select(s => s.FullName).ToHashSet(StringComparer.Ordinal);
        var parts = (path ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2 && _serviceNames.Contains(parts[0]);
    }
}
