using System.Security.Claims;
using Microsoft.Extensions.Options;
using Tracker.Events.Access;

namespace Tracker.Server.Auth;

/// <summary>
/// The claims that describe a caller, whichever credential it used: its name, its scopes and the
/// services it may write, under the claim types Auth:Jwt configures ("sub", "scope",
/// "tracker_services" unless set). A claim may hold several space-separated values or appear
/// several times (a JSON array in a JWT).
/// </summary>
internal sealed class CallerClaims(IOptions<AuthOptions> options)
{
    private readonly JwtOptions _types = options.Value.Jwt;

    /// <summary>An identity for an API key, with its name, scopes and services as claims.</summary>
    public ClaimsIdentity IdentityOf(string name, IEnumerable<string> scopes, IEnumerable<string> services, string scheme)
    {
        var identity = new ClaimsIdentity(scheme, _types.NameClaim, roleType: null);
        identity.AddClaim(new Claim(_types.NameClaim, name));
        identity.AddClaims(scopes.Select(scope => new Claim(_types.ScopeClaim, scope)));
        identity.AddClaims(services.Select(service => new Claim(_types.ServicesClaim, service)));
        return identity;
    }

    /// <summary>The caller a principal stands for.</summary>
    public Caller CallerOf(ClaimsPrincipal principal)
    {
        var name = principal.FindFirst(_types.NameClaim)?.Value ?? string.Empty;
        var scopes = Values(principal, _types.ScopeClaim).ToHashSet(StringComparer.Ordinal);
        // No services claim: every service. A services claim with no value in it: none.
        var services = Values(principal, _types.ServicesClaim).ToList();
        var patterns = services.Count > 0 ? ServicePatterns.Of(services)
            : principal.HasClaim(c => c.Type == _types.ServicesClaim) ? ServicePatterns.None
            : ServicePatterns.Any;
        return new Caller(name, scopes, patterns);
    }

    private static IEnumerable<string> Values(ClaimsPrincipal principal, string type) =>
        principal.FindAll(type).SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
