using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Tracker.Server.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;API key&gt;</c> (RFC 6750) against
/// <see cref="ApiKeyRing"/>, for REST, gRPC and gRPC-Web alike. A known key becomes a principal
/// named after the key, with its scopes and services as the claims a JWT would carry
/// (<see cref="CallerClaims"/>). No header is no result; any other header fails.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyRing keys,
    CallerClaims claims)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerCredential.Of(Request) is not { } credential)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (credential.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.Fail(BearerCredential.Malformed));
        }

        if (keys.Find(credential) is not { } found)
        {
            return Task.FromResult(AuthenticateResult.Fail(new UnknownApiKeyException()));
        }

        var identity = claims.IdentityOf(found.Name, found.Key.Scopes, found.Key.Services, Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    /// <summary>Why an API key was refused: it matched no configured hash.</summary>
    internal sealed class UnknownApiKeyException() : Exception("The bearer credential is not a known API key.");
}
