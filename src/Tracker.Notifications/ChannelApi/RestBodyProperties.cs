using System.Text.Json;
using Grpc.Core;

namespace Tracker.Notifications.ChannelApi;

/// <summary>
/// The top-level property names of a JSON-transcoded request's body, which tell what a REST
/// PATCH sets even to a default value (proto3 scalars have no presence once parsed). The
/// transcoder reads the body first; <see cref="ChannelPatchBodyBuffering"/> keeps it readable
/// again for PATCH requests. Null for a gRPC or gRPC-Web call, or a body that was not kept.
/// </summary>
internal static class RestBodyProperties
{
    public static async Task<IReadOnlyList<string>?> ReadAsync(ServerCallContext context, CancellationToken cancellationToken)
    {
        var request = context.GetHttpContext().Request;
        if (request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) != false || !request.Body.CanSeek)
        {
            return null;
        }

        request.Body.Position = 0;
        using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
        return body.RootElement.ValueKind == JsonValueKind.Object
            ? body.RootElement.EnumerateObject().Select(p => p.Name).ToList()
            : null;
    }
}
