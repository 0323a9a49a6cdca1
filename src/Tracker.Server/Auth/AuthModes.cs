namespace Tracker.Server.Auth;

/// <summary>Auth:Mode parsed: which credentials are accepted.</summary>
/// <param name="ApiKeys">Whether API keys are accepted.</param>
/// <param name="Jwt">Whether JWTs from the configured issuer are accepted.</param>
public sealed record AuthModes(bool ApiKeys, bool Jwt)
{
    /// <summary>The authentication scheme names, as registered with ASP.NET Core.</summary>
    public const string ApiKeyScheme = "ApiKey";
    public const string JwtScheme = "Jwt";
    public const string BearerScheme = "Bearer";

    /// <summary>Whether any credential is checked.</summary>
    public bool Enabled => ApiKeys || Jwt;

    /// <summary>The scheme that authenticates a request: one of the two, or the one choosing between them per token.</summary>
    public string DefaultScheme => ApiKeys && Jwt ? BearerScheme : ApiKeys ? ApiKeyScheme : JwtScheme;

    /// <summary>"None", "ApiKey", "Jwt", "ApiKey,Jwt" (either order, any case, spaces allowed); null for anything else.</summary>
    public static AuthModes? Parse(string? mode)
    {
        var names = (mode ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0)
        {
            return null;
        }

        bool apiKeys = false, jwt = false, none = false;
        foreach (var name in names)
        {
            if (name.Equals("None", StringComparison.OrdinalIgnoreCase))
            {
                none = true;
            }
            else if (name.Equals(ApiKeyScheme, StringComparison.OrdinalIgnoreCase))
            {
                apiKeys = true;
            }
            else if (name.Equals(JwtScheme, StringComparison.OrdinalIgnoreCase))
            {
                jwt = true;
            }
            else
            {
                return null;
            }
        }

        return none && (apiKeys || jwt) ? null : new AuthModes(apiKeys, jwt);
    }
}
