using System.Text.Json;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.Net.Http.Headers;

namespace Tracker.Server.Transport;

/// <summary>
/// Nothing a REST client sends is silently ignored: before JSON transcoding reads a request, its
/// query parameters (<see cref="RestQueryCheck"/>) and its JSON body (<see cref="RestBodyCheck"/>)
/// are checked against what the route binds (<see cref="RestRoute"/>, from the proto descriptors
/// and the google.api.http rule). An unknown name or a value of the wrong type is answered 400
/// INVALID_ARGUMENT with a google.rpc.BadRequest naming every such parameter or field. Runs after
/// routing, on JSON-transcoded endpoints only: gRPC and gRPC-Web calls are protobuf's business
/// (unknown fields in binary protobuf are kept and ignored, as protobuf specifies).
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
        if (metadata is null || GrpcStatusResponse.IsGrpc(context.Request))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var route = RestRoute.Of(metadata);
        var violations = new InputViolations();
        RestQueryCheck.Check(route, context.Request.Query, violations);
        if (violations.Any)
        {
            await RestStatusBody.WriteAsync(context.Response, StatusCodes.Status400BadRequest, violations.ToStatus("Invalid request")).ConfigureAwait(false);
            return;
        }

        if (route.Body is not null && IsJson(context.Request) && !await BodyIsAcceptedAsync(context, route).ConfigureAwait(false))
        {
            return;
        }

        await next(context).ConfigureAwait(false);
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
                RestBodyCheck.Check(route, root, violations);
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
