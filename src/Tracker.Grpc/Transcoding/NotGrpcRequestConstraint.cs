using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Tracker.Grpc.Transcoding;

/// <summary>
/// Keeps the transcoding catch-all route away from gRPC requests (content-type application/grpc),
/// which belong to the gRPC transport even when their method is unknown.
/// </summary>
internal sealed class NotGrpcRequestConstraint : IRouteConstraint
{
    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection)
    {
        var contentType = httpContext?.Request.ContentType;
        return contentType is null || !contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);
    }
}
