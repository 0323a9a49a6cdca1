using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Tracker.Server.Auth;

/// <summary>
/// A JWT whose services claim is an empty array ("tracker_services": []) yields no claim, the
/// same as a token without it, which means every service. This marks it with an empty claim, so
/// <see cref="CallerClaims"/> reads it as no service.
/// </summary>
internal static class EmptyServicesClaim
{
    public static Task Mark(TokenValidatedContext context, string claimType)
    {
        if (context.SecurityToken is JsonWebToken token
            && token.TryGetPayloadValue<JsonElement>(claimType, out var value)
            && value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 0
            && context.Principal?.Identity is ClaimsIdentity identity)
        {
            identity.AddClaim(new Claim(claimType, string.Empty));
        }

        return Task.CompletedTask;
    }
}
