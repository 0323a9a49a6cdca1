using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Tracker.Events.Access;

namespace Tracker.Server.Auth;

/// <summary>
/// Checks the Auth section at start-up, naming the key at fault, so a typo never leaves the API
/// open or shut: the rules that span settings (a mode and what it needs, keys that share a hash)
/// or name a key of Auth:ApiKeys. Auth:Mode and Auth:Reflection are enums, whose names
/// <see cref="EnumSettings"/> checks before they are bound.
/// </summary>
internal sealed partial class AuthOptionsValidator(IConfiguration configuration) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        // A list set as one value (Auth__ApiKeys__ci__Services=payments-*) binds as an empty
        // list, which would silently mean every service: it must be refused, not ignored.
        foreach (var key in configuration.GetSection(AuthOptions.SectionName + ":ApiKeys").GetChildren())
        {
            foreach (var list in new[] { "Scopes", "Services" })
            {
                var section = key.GetSection(list);
                if (!string.IsNullOrEmpty(section.Value) && !section.GetChildren().Any())
                {
                    failures.Add($"Auth:ApiKeys:{key.Key}:{list} must be an array: Auth__ApiKeys__{key.Key}__{list}__0=..., __1=... (in JSON, [\"...\"]), not one value.");
                }
            }
        }

        foreach (var shared in options.ApiKeys.GroupBy(k => k.Value.Hash, StringComparer.OrdinalIgnoreCase).Where(g => g.Key.Length > 0 && g.Count() > 1))
        {
            failures.Add($"Auth:ApiKeys: {string.Join(" and ", shared.Select(k => k.Key))} have the same Hash; each key must be its own.");
        }

        if (options.Mode.AcceptsApiKeys() && options.ApiKeys.Count == 0)
        {
            failures.Add("Auth:Mode accepts API keys but Auth:ApiKeys names none; create one with: dotnet run --project src/Tracker.Server -- new-api-key <name>.");
        }

        foreach (var (keyName, key) in options.ApiKeys)
        {
            if (!KeyName().IsMatch(keyName))
            {
                failures.Add($"Auth:ApiKeys:{keyName}: a key's name must be 1 to 64 letters, digits, '.', '_' or '-'.");
            }

            if (!Sha256Hex().IsMatch(key.Hash))
            {
                failures.Add($"Auth:ApiKeys:{keyName}:Hash must be the lower-case hex SHA-256 of the key (64 characters of 0-9a-f).");
            }

            if (key.Scopes.Count == 0)
            {
                failures.Add($"Auth:ApiKeys:{keyName}:Scopes must name at least one of {string.Join(", ", EventScopes.All)}.");
            }

            foreach (var scope in key.Scopes.Where(s => !EventScopes.All.Contains(s)))
            {
                failures.Add($"Auth:ApiKeys:{keyName}:Scopes: '{scope}' is not a scope; use {string.Join(", ", EventScopes.All)}.");
            }

            if (key.Services.Any(string.IsNullOrWhiteSpace))
            {
                failures.Add($"Auth:ApiKeys:{keyName}:Services must not contain an empty entry.");
            }
        }

        if (options.Mode.AcceptsJwts())
        {
            if (!Uri.TryCreate(options.Jwt.Authority, UriKind.Absolute, out _))
            {
                failures.Add("Auth:Jwt:Authority must be the issuer's absolute URL when Auth:Mode accepts JWTs.");
            }

            if (string.IsNullOrWhiteSpace(options.Jwt.Audience))
            {
                failures.Add("Auth:Jwt:Audience must name the audience tokens are issued for when Auth:Mode accepts JWTs.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex KeyName();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();
}
