namespace Tracker.Events.Access;

/// <summary>
/// Who is calling, as the service authorizes it (README, "Securing Tracker"): a name recorded in created_by and
/// updated_by (the API key's name or the JWT's subject; empty when authentication is off), the
/// scopes granted (<see cref="EventScopes"/>), and the services the caller may write.
/// </summary>
/// <param name="Name">The key name or token subject; empty for <see cref="Open"/>.</param>
/// <param name="Scopes">The granted scopes, such as "events:read" or "admin".</param>
/// <param name="Services">The services the caller may create, update and delete events of; every service when <see cref="ServicePatterns.Any"/>.</param>
public sealed record Caller(string Name, IReadOnlySet<string> Scopes, ServicePatterns Services)
{
    /// <summary>The caller of every request while authentication is off (Auth:Mode None): every scope, every service, no name.</summary>
    public static Caller Open { get; } = new(string.Empty, new HashSet<string>(StringComparer.Ordinal) { EventScopes.Admin }, ServicePatterns.Any);

    /// <summary>Whether the caller holds <paramref name="scope"/>, directly or through "admin".</summary>
    public bool Holds(string scope) => Scopes.Contains(scope) || Scopes.Contains(EventScopes.Admin);
}
