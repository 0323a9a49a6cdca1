using Google.Rpc;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Tracker.Server.Transport;

namespace Tracker.Server.Auth;

/// <summary>
/// Answers the endpoints authorization guards (server reflection, when Auth:Reflection is
/// Authenticated) the way gRPC clients understand: UNAUTHENTICATED or PERMISSION_DENIED as a gRPC
/// status, where ASP.NET Core would send a bare HTTP 401 or 403 that clients such as buf curl
/// report as a missing service. Other requests get ASP.NET Core's answer.
/// </summary>
internal sealed class GrpcAuthorizationResults : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!GrpcStatusResponse.IsGrpc(context.Request) || authorizeResult.Succeeded)
        {
            return _default.HandleAsync(next, context, policy, authorizeResult);
        }

        var status = authorizeResult.Challenged
            ? new Google.Rpc.Status { Code = (int)Code.Unauthenticated, Message = "Server reflection needs credentials here (Auth:Reflection is Authenticated): send 'Authorization: Bearer <API key or token>' (buf curl: --reflect-header '*')." }
            : new Google.Rpc.Status { Code = (int)Code.PermissionDenied, Message = "The caller's credentials do not allow this call." };
        return GrpcStatusResponse.WriteAsync(context.Response, status);
    }
}
