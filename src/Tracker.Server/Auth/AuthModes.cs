namespace Tracker.Server.Auth;

/// <summary>
/// Auth:Mode: which credentials are accepted. Configured by name in any case, the two kinds
/// together as "ApiKey,Jwt" (either order); <see cref="EnumSettings"/> refuses anything else,
/// a number or None with another kind included.
/// </summary>
[Flags]
public enum AuthMode
{
    /// <summary>No credential is checked: anyone may call (the default).</summary>
    None = 0,

    /// <summary>API keys (<see cref="ApiKeyAuthenticationHandler"/>) from Auth:ApiKeys.</summary>
    ApiKey = 1,

    /// <summary>JWTs from the OpenID Connect issuer of Auth:Jwt.</summary>
    Jwt = 2,
}

/// <summary>Auth:Reflection: who may call server reflection while authentication is on.</summary>
public enum ReflectionAccess
{
    /// <summary>Anyone (the default).</summary>
    Open,

    /// <summary>Only callers with valid credentials.</summary>
    Authenticated,
}

/// <summary>The authentication schemes as registered with ASP.NET Core, and which of them a mode uses.</summary>
public static class AuthModes
{
    public const string ApiKeyScheme = "ApiKey";
    public const string JwtScheme = "Jwt";
    public const string BearerScheme = "Bearer";

    /// <summary>Whether any credential is checked.</summary>
    public static bool IsEnabled(this AuthMode mode) => mode.AcceptsApiKeys() || mode.AcceptsJwts();

    public static bool AcceptsApiKeys(this AuthMode mode) => mode.HasFlag(AuthMode.ApiKey);

    public static bool AcceptsJwts(this AuthMode mode) => mode.HasFlag(AuthMode.Jwt);

    /// <summary>The scheme that authenticates a request: one of the two, or the one choosing between them per token.</summary>
    public static string DefaultScheme(this AuthMode mode) =>
        mode.AcceptsApiKeys() && mode.AcceptsJwts() ? BearerScheme : mode.AcceptsApiKeys() ? ApiKeyScheme : JwtScheme;
}
