using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Tracker.Events.Access;

namespace Tracker.Server.Auth;

/// <summary>
/// The caller of a call made with bearer credentials, once ASP.NET Core authentication has run
/// (UseAuthentication, for every transport). A call without credentials, or whose credentials
/// failed, or a token that names no caller, is <see cref="CallerUnknownException"/>
/// (UNAUTHENTICATED) with a reason that says what was wrong without echoing the credential or the
/// validator's text. A token that failed because the issuer's keys cannot be fetched is
/// <see cref="CallerCheckUnavailableException"/> (UNAVAILABLE): the caller did nothing wrong.
/// </summary>
internal sealed class BearerCallerIdentity(CallerClaims claims, IOptionsMonitor<JwtBearerOptions> jwtOptions) : ICallerIdentity
{
    public async ValueTask<Caller> IdentifyAsync(ServerCallContext context)
    {
        var http = context.GetHttpContext();
        if (http.User.Identity?.IsAuthenticated == true)
        {
            var caller = claims.CallerOf(http.User);
            return caller.Name.Length > 0
                ? caller
                : throw new CallerUnknownException(CallerUnknownException.Invalid, "The bearer token names no caller: its subject claim (Auth:Jwt:NameClaim, \"sub\" unless set) is missing or empty.");
        }

        if (BearerCredential.Of(http.Request) is null)
        {
            throw new CallerUnknownException(
                CallerUnknownException.Missing,
                "This call needs credentials: send the header 'Authorization: Bearer <API key or token>'.");
        }

        // The handler keeps its result for the request, so this reads why it failed.
        var result = await http.AuthenticateAsync().ConfigureAwait(false);
        if (result.Failure is SecurityTokenInvalidIssuerException or SecurityTokenSignatureKeyNotFoundException or InvalidOperationException
            && await IssuerUnreachableAsync(http.RequestAborted).ConfigureAwait(false) is { } unreachable)
        {
            throw new CallerCheckUnavailableException("The token issuer's configuration cannot be fetched.", unreachable);
        }

        throw new CallerUnknownException(CallerUnknownException.Invalid, Describe(result.Failure));
    }

    /// <summary>Why the issuer's metadata cannot be fetched now, or null when it can (the token itself was wrong).</summary>
    private async Task<Exception?> IssuerUnreachableAsync(CancellationToken cancellationToken)
    {
        if (jwtOptions.Get(AuthModes.JwtScheme).ConfigurationManager is not { } configuration)
        {
            return null;
        }

        try
        {
            await configuration.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException)
        {
            return e;
        }
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
