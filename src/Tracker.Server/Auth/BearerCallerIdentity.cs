using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.Tokens;
using Tracker.Events.Access;

namespace Tracker.Server.Auth;

/// <summary>
/// The caller of a call made with bearer credentials, once ASP.NET Core authentication has run
/// (UseAuthentication, for every transport). A call without credentials, or whose credentials
/// failed, is <see cref="CallerUnknownException"/> (UNAUTHENTICATED) with a reason that says
/// what was wrong without echoing the credential or the validator's text.
/// </summary>
internal sealed class BearerCallerIdentity(CallerClaims claims) : ICallerIdentity
{
    public async ValueTask<Caller> IdentifyAsync(ServerCallContext context)
    {
        var http = context.GetHttpContext();
        if (http.User.Identity?.IsAuthenticated == true)
        {
            return claims.CallerOf(http.User);
        }

        if (BearerCredential.Of(http.Request) is null)
        {
            throw new CallerUnknownException(
                CallerUnknownException.Missing,
                "This call needs credentials: send the header 'Authorization: Bearer <API key or token>'.");
        }

        // The handler keeps its result for the request, so this reads why it failed.
        var result = await http.AuthenticateAsync().ConfigureAwait(false);
        throw new CallerUnknownException(CallerUnknownException.Invalid, Describe(result.Failure));
    }

    private static string Describe(Exception? failure) => failure switch
    {
        SecurityTokenExpiredException => "The bearer token has expired.",
        SecurityTokenNotYetValidException => "The bearer token is not valid yet.",
        SecurityTokenInvalidAudienceException => "The bearer token was not issued for this service (audience).",
        SecurityTokenInvalidIssuerException => "The bearer token was not issued by the configured issuer.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "The bearer token's signature is not valid.",
        SecurityTokenMalformedException or SecurityTokenException => "The bearer credential is not a valid token.",
        ApiKeyAuthenticationHandler.UnknownApiKeyException => "The bearer credential is not a known API key.",
        FormatException => "The Authorization header must be 'Bearer <API key or token>'.",
        _ => "The bearer credential is not valid.",
    };
}
