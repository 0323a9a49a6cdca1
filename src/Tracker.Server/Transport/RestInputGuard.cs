using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Tracker.Events.Access;
using Tracker.Server.Auth;

namespace Tracker.Server.Transport;

/// <summary>
/// Nothing a REST client sends is silently ignored: before JSON transcoding reads a request, its
/// query parameters (<see cref="RestQueryCheck"/>) and its JSON body (<see cref="RestBodyCheck"/>)
/// are checked against what the route binds (<see cref="RestRoute"/>, from the proto descriptors
/// and the google.api.http rule). An unknown name or a value of the wrong type is answered 400
/// INVALID_ARGUMENT with a google.rpc.BadRequest naming every such parameter or field; so is a
/// body sent to a route whose http rule takes none (an empty one, or Content-Length: 0, is fine).
/// Runs after routing, on JSON-transcoded endpoints only: gRPC and gRPC-Web calls have endpoints
/// of their own (<c>/package.Service/Method</c>) and are protobuf's business (unknown fields in
/// binary protobuf are kept and ignored, as protobuf specifies). A gRPC Content-Type sent to a
/// transcoded route is 415: the route reads JSON only.
/// <para>
/// Authentication and authorization come first ("Securing Tracker": no other answer before them):
/// when authentication is on and the caller has no valid credentials, or lacks the method's scope,
/// the checks are left out and the call pipeline answers UNAUTHENTICATED or PERMISSION_DENIED, so
/// such a caller learns nothing of the API from its 400s.
/// </para>
/// <para>
/// The body is read once here, kept (HttpRequest.EnableBuffering: in memory up to 30 KiB, then a
/// temporary file; bodies are limited to 4 MiB before this runs) and rewound for the transcoder.
/// </para>
/// </summary>
internal sealed class RestInputGuard(RequestDelegate next)
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    public async Task InvokeAsync(HttpContext context)
    {
        var metadata = context.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>();
        if (metadata is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var route = RestRoute.Of(metadata);
        if (GrpcStatusResponse.IsGrpc(context.Request))
        {
            // The Content-Type alone does not make a gRPC call: this endpoint is the JSON route.
            var message = $"{route.Display} reads JSON: send Content-Type application/json (or any +json type), or no body where it takes none. gRPC and gRPC-Web calls go to POST /{metadata.MethodDescriptor.Service.FullName}/{metadata.MethodDescriptor.Name}.";
            await RestStatusBody.WriteAsync(context.Response, StatusCodes.Status415UnsupportedMediaType, Google.Rpc.Code.InvalidArgument, message).ConfigureAwait(false);
            return;
        }

        if (await CallerWillBeRefusedAsync(context, metadata).ConfigureAwait(false))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var violations = new InputViolations();
        RestQueryCheck.Check(route, context.Request.Query, violations);
        if (violations.Any)
        {
            await RestStatusBody.WriteAsync(context.Response, StatusCodes.Status400BadRequest, violations.ToStatus("Invalid request")).ConfigureAwait(false);
            return;
        }

        if (route.Body is null)
        {
            if (!await NoBodyIsSentAsync(context, route).ConfigureAwait(false))
            {
                return;
            }
        }
        else if (IsJson(context.Request) && !await BodyIsAcceptedAsync(context, route).ConfigureAwait(false))
        {
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether authentication is on and the call pipeline will refuse the call to a method that is
    /// not public: UNAUTHENTICATED for no credentials, or credentials that failed or name no caller;
    /// PERMISSION_DENIED for a caller without the method's scope. ASP.NET Core authentication keeps
    /// its result for the request, so the pipeline reads the same one.
    /// </summary>
    private static async Task<bool> CallerWillBeRefusedAsync(HttpContext context, GrpcJsonTranscodingMetadata metadata)
    {
        if (context.RequestServices.GetService<ICallerIdentity>() is not BearerCallerIdentity
            || RpcRegistry.Find($"/{metadata.MethodDescriptor.Service.FullName}/{metadata.MethodDescriptor.Name}") is not { IsPublic: false } rpc)
        {
            return false;
        }

        var user = context.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            var result = await context.AuthenticateAsync().ConfigureAwait(false);
            if (!result.Succeeded)
            {
                return true;
            }

            user = result.Principal;
        }

        var caller = context.RequestServices.GetRequiredService<CallerClaims>().CallerOf(user);
        return caller.Name.Length == 0 || !caller.Holds(rpc.Scope!);
    }

    /// <summary>
    /// For a route whose http rule takes no body (GET, DELETE): refuses a non-empty one, which the
    /// transcoder would ignore (a DELETE carrying its etag in a body deleted without the check).
    /// Content-Length: 0, or a chunked body with no bytes, is no body. Answers and returns false when refused.
    /// </summary>
    private static async Task<bool> NoBodyIsSentAsync(HttpContext context, RestRoute route)
    {
        var request = context.Request;
        bool sent;
        if (request.ContentLength is { } length)
        {
            sent = length > 0;
        }
        else if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != true)
        {
            sent = false;
        }
        else
        {
            request.EnableBuffering();
            var first = new byte[1];
            try
            {
                sent = await request.Body.ReadAsync(first, context.RequestAborted).ConfigureAwait(false) > 0;
            }
            catch (Exception e) when (AbandonedBodyGuard.ClientWentAway(context, e))
            {
                context.Abort();
                return false;
            }

            request.Body.Position = 0;
        }

        if (!sent)
        {
            return true;
        }

        var parameters = route.QueryParameterNames.Where(p => !p.EndsWith(".*", StringComparison.Ordinal)).ToList();
        var advice = parameters.Count switch
        {
            0 => "everything it reads is in the path",
            1 => $"send {parameters[0]} as a query parameter",
            _ => $"send its fields as query parameters ({string.Join(", ", parameters)})",
        };
        await RestStatusBody.WriteAsync(context.Response, StatusCodes.Status400BadRequest, Google.Rpc.Code.InvalidArgument, $"{route.Method} takes no request body ({route.Display}); {advice}.").ConfigureAwait(false);
        return false;
    }

    /// <summary>Checks the body; when it is refused (or the client left), answers and returns false.</summary>
    private static async Task<bool> BodyIsAcceptedAsync(HttpContext context, RestRoute route)
    {
        var request = context.Request;
        request.EnableBuffering();
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, DocumentOptions, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            var message = request.Body.Length == 0
                ? $"The request body is empty; {route.Display} takes a JSON object ({route.Body!.Name})."
                : $"The request body is not valid JSON, or nests deeper than {DocumentOptions.MaxDepth} levels (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).";
            await RestStatusBody.WriteAsync(context.Response, StatusCodes.Status400BadRequest, Google.Rpc.Code.InvalidArgument, message).ConfigureAwait(false);
            return false;
        }
        catch (BadHttpRequestException e)
        {
            // A body without Content-Length that passed the 4 MiB limit (RestRequestGuard).
            await RestStatusBody.WriteAsync(context.Response, StatusCodes.Status400BadRequest, Google.Rpc.Code.InvalidArgument, e.Message).ConfigureAwait(false);
            return false;
        }
        catch (Exception e) when (AbandonedBodyGuard.ClientWentAway(context, e))
        {
            // The client left while sending: no one to answer. Aborting the request keeps Kestrel
            // from draining the dead body (and logging that at Error), as AbandonedBodyGuard does.
            context.Abort();
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                var message = $"The request body must be a JSON object ({route.Body!.Name}), not {RestBodyCheck.KindOf(root)}.";
                await RestStatusBody.WriteAsync(context.Response, StatusCodes.Status400BadRequest, Google.Rpc.Code.InvalidArgument, message).ConfigureAwait(false);
                return false;
            }

            var violations = new InputViolations();
            try
            {
                RestBodyCheck.Check(route, root, request.RouteValues, violations);
            }
            catch (InvalidOperationException)
            {
                // A name or string that is not valid UTF-16 (a lone surrogate escape): the
                // transcoder refuses it with its own answer.
                violations = new InputViolations();
            }

            if (violations.Any)
            {
                await RestStatusBody.WriteAsync(context.Response, StatusCodes.Status400BadRequest, violations.ToStatus("Invalid request body")).ConfigureAwait(false);
                return false;
            }
        }

        request.Body.Position = 0;
        return true;
    }

    // The media types JSON transcoding reads as JSON: application/json and any +json.
    private static bool IsJson(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
        && (type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));
}
