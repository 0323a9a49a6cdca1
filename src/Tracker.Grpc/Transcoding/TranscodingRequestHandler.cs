using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Tracker.Grpc.Transcoding;

/// <summary>
/// Serves one REST request: finds its route, binds the request message, calls the method's
/// handler exactly as a gRPC call would, and writes the JSON response or a google.rpc.Status.
/// </summary>
internal sealed class TranscodingRequestHandler
{
    private const string GenericError = "Exception was thrown by handler.";

    private readonly TranscodingRouteTable _routes;
    private readonly HttpRequestBinder _binder;
    private readonly TranscodingResponseWriter _writer;
    private readonly ILogger _logger;

    public TranscodingRequestHandler(TranscodingRouteTable routes, HttpRequestBinder binder, TranscodingResponseWriter writer, ILogger logger)
    {
        _routes = routes;
        _binder = binder;
        _writer = writer;
        _logger = logger;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var rawPath = RawPath(context);
        var match = _routes.Match(context.Request.Method, rawPath);
        if (match.Route is not { } route)
        {
            await WriteUnmatchedAsync(context, match).ConfigureAwait(false);
            return;
        }

        try
        {
            var request = await _binder.BindAsync(route, match.Values, context.Request, context.RequestAborted).ConfigureAwait(false);
            var call = new ServerCallContext(context, route.Method.Path, deadline: null, context.RequestAborted);
            if (route.Method.Kind == MethodKind.ServerStreaming)
            {
                var responses = new NdjsonStreamWriter(context.Response, _writer, route);
                await route.Method.ServerStreaming!(context.RequestServices, request, responses, call).ConfigureAwait(false);
                if (!context.Response.HasStarted)
                {
                    // A stream of no messages is an empty 200 response.
                    context.Response.StatusCode = StatusCodes.Status200OK;
                    context.Response.ContentType = TranscodingResponseWriter.JsonContentType;
                }

                return;
            }

            var response = await route.Method.Unary!(context.RequestServices, request, call).ConfigureAwait(false);
            var json = _writer.Format(response, route.ResponseBodyField);
            await _writer.WriteAsync(context.Response, json, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (ClientDisconnect.Is(e, context))
        {
            // The client went away: there is no one to answer.
        }
        catch (TranscodingHttpException e)
        {
            await WriteErrorAsync(context, route, e.HttpStatus, new Google.Rpc.Status { Code = (int)e.Code, Message = e.Message }).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            var status = e.ToRpcStatus() ?? new Google.Rpc.Status { Code = (int)e.Code, Message = e.Detail };
            await WriteErrorAsync(context, route, StatusHttpMapping.ToHttpStatus(e.Code), status).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            TranscodingLog.HandlerFailed(_logger, route.Method.Path, e);
            var status = new Google.Rpc.Status { Code = (int)StatusCode.Unknown, Message = GenericError };
            await WriteErrorAsync(context, route, StatusHttpMapping.ToHttpStatus(StatusCode.Unknown), status).ConfigureAwait(false);
        }
    }

    private async Task WriteErrorAsync(HttpContext context, TranscodingRoute route, int httpStatus, Google.Rpc.Status status)
    {
        if (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        if (context.Response.HasStarted)
        {
            // Mid-stream: the status is the stream's last line, as ASP.NET Core's transcoding does.
            var line = _writer.FormatStatus(status, route.Method.Path) + "\n";
            await context.Response.WriteAsync(line, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        await _writer.WriteErrorAsync(context, httpStatus, status, route.Method.Path).ConfigureAwait(false);
    }

    private Task WriteUnmatchedAsync(HttpContext context, RouteMatch match)
    {
        var method = context.Request.Method;
        var path = context.Request.Path.Value ?? "/";
        if (!match.PathKnown)
        {
            var notFound = new Google.Rpc.Status { Code = (int)StatusCode.NotFound, Message = $"No route matches {method} {path}." };
            return _writer.WriteErrorAsync(context, StatusCodes.Status404NotFound, notFound, path);
        }

        var allowed = string.Join(", ", match.AllowedMethods);
        context.Response.Headers.Allow = allowed;
        var notAllowed = new Google.Rpc.Status
        {
            Code = (int)StatusCode.Unimplemented,
            Message = $"Method {method} is not allowed on {path}; allowed: {allowed}.",
        };
        return _writer.WriteErrorAsync(context, StatusCodes.Status405MethodNotAllowed, notAllowed, path);
    }

    // The path as the client sent it, still percent-encoded, so "%2F" inside a variable is not a separator.
    private static string RawPath(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || raw[0] != '/' || context.Request.PathBase.HasValue)
        {
            return context.Request.Path.Value ?? "/";
        }

        var query = raw.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? raw : raw[..query];
    }
}
