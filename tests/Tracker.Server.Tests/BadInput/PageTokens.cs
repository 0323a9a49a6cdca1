namespace Tracker.Server.Tests.BadInput;

/// <summary>
/// Page tokens damaged the ways a client might damage them, all refused by the domain's integrity
/// check (PageTokenCodec): cut inside its header, cut to the header alone, cut by one character,
/// a character changed in the middle (inside the cursor), an unknown version, not base64url,
/// longer than any token.
/// </summary>
internal static class PageTokens
{
    public static IEnumerable<string> Corrupted(string token)
    {
        yield return token[..10];
        yield return token[..23];
        yield return token[..^1];
        yield return token[..(token.Length / 2)] + (token[token.Length / 2] == 'A' ? 'B' : 'A') + token[(token.Length / 2 + 1)..];
        yield return (token[0] == 'A' ? 'B' : 'A') + token[1..];
        yield return "not a token";
        yield return "%%%";
        yield return new string('A', 300);
    }
}
