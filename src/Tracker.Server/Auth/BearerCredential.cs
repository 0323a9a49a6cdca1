namespace Tracker.Server.Auth;

/// <summary>The credential of an <c>Authorization: Bearer &lt;credential&gt;</c> header (RFC 6750 section 2.1).</summary>
internal static class BearerCredential
{
    /// <summary>Why a header that is not "Bearer &lt;credential&gt;" is refused.</summary>
    public static readonly Exception Malformed = new FormatException("The Authorization header must be 'Bearer <API key or token>'.");

    /// <summary>
    /// The credential after "Bearer " (the scheme in any case); an empty string for a header of
    /// another shape; null when the request has no Authorization header.
    /// </summary>
    public static string? Of(HttpRequest request)
    {
        var header = request.Headers.Authorization;
        if (header.Count == 0)
        {
            return null;
        }

        var value = header.ToString();
        const string Prefix = "Bearer ";
        return header.Count == 1 && value.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)
            ? value[Prefix.Length..].Trim()
            : string.Empty;
    }

    /// <summary>Whether the credential has a JWT's shape: three base64url parts separated by dots (RFC 7519).</summary>
    public static bool LooksLikeJwt(string credential) => credential.Count(c => c == '.') == 2;
}
