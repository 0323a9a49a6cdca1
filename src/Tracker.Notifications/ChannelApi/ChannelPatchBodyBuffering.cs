using Microsoft.AspNetCore.Http;

namespace Tracker.Notifications.ChannelApi;

/// <summary>
/// Keeps the body of REST PATCH requests to the channels readable after JSON transcoding has read
/// it (HttpRequest.EnableBuffering: in memory up to 30 KiB, then a temporary file; bodies are
/// limited to 4 MiB before this runs), so UpdateChannel can tell the fields present in it
/// (<see cref="RestBodyProperties"/>).
/// </summary>
internal sealed class ChannelPatchBodyBuffering(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsPatch(request.Method)
            && request.Path.StartsWithSegments("/api/v1alpha1/channels", StringComparison.Ordinal)
            && request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) != true)
        {
            request.EnableBuffering();
        }

        return next(context);
    }
}
