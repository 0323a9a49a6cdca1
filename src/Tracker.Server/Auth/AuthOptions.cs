namespace Tracker.Server.Auth;

/// <summary>
/// The "Auth" configuration section. Authentication is off by default, so the README's
/// run command and the guide's curl examples work on a laptop; start-up warns while it is.
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>None (the default), ApiKey, Jwt or ApiKey,Jwt.</summary>
    public AuthMode Mode { get; set; } = AuthMode.None;

    /// <summary>API keys by name (Auth:ApiKeys:&lt;name&gt;:Hash, :Scopes, :Services).</summary>
    public Dictionary<string, ApiKeyOptions> ApiKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The OpenID Connect issuer whose tokens are accepted (Auth:Jwt:Authority, :Audience, ...).</summary>
    public JwtOptions Jwt { get; set; } = new();

    /// <summary>Open (the default): server reflection answers anyone; Authenticated: only callers with valid credentials.</summary>
    public ReflectionAccess Reflection { get; set; } = ReflectionAccess.Open;

    /// <summary>Whether reflection needs credentials.</summary>
    public bool ReflectionNeedsCredentials => Reflection == ReflectionAccess.Authenticated;
}

/// <summary>One API key: only its hash is configured, never the key.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>The lower-case hex SHA-256 of the key's UTF-8 bytes (64 characters).</summary>
    public string Hash { get; set; } = string.Empty;

    /// <summary>The scopes it grants: events:read, events:write, events:delete, admin.</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>The services it may write, as globs ("payments-*"); empty means every service.</summary>
    public List<string> Services { get; set; } = [];
}

/// <summary>Tokens from an OpenID Connect issuer, validated by ASP.NET Core's JwtBearer handler.</summary>
public sealed class JwtOptions
{
    /// <summary>The issuer's URL; its /.well-known/openid-configuration names the signing keys (JWKS).</summary>
    public string Authority { get; set; } = string.Empty;

    /// <summary>The audience tokens must be issued for (their "aud" claim).</summary>
    public string Audience { get; set; } = string.Empty;

    /// <summary>Whether the issuer's metadata must be fetched over HTTPS (true unless set false for a local issuer).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The claim holding the scopes, space-separated or as an array: "scope" (RFC 8693) unless set, e.g. "scp".</summary>
    public string ScopeClaim { get; set; } = "scope";

    /// <summary>The claim holding the service globs a token may write, space-separated or as an array; absent means every service.</summary>
    public string ServicesClaim { get; set; } = "tracker_services";

    /// <summary>The claim that names the caller in created_by and updated_by: "sub" unless set.</summary>
    public string NameClaim { get; set; } = "sub";
}
