using System.Security.Cryptography;
using Tracker.Events.Access;

namespace Tracker.Server.Auth;

/// <summary>
/// <c>dotnet run --project src/Tracker.Server -- new-api-key &lt;name&gt; [scope...]</c>: prints a
/// new random key (256 bits, base64url, prefixed "trk_") once, and the configuration that
/// accepts it, which holds only its SHA-256.
/// </summary>
internal static class NewApiKeyCommand
{
    public const string Verb = "new-api-key";

    public static bool Matches(string[] args) => args.Length > 0 && args[0] == Verb;

    /// <summary>Prints the key and its settings; 2 when the name or a scope is wrong (the message says which).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter errors)
    {
        if (args.Length < 2 || !System.Text.RegularExpressions.Regex.IsMatch(args[1], "^[A-Za-z0-9._-]{1,64}$"))
        {
            errors.WriteLine($"usage: {Verb} <name> [scope...]   (name: 1 to 64 letters, digits, '.', '_' or '-'; scopes: {string.Join(", ", EventScopes.All)}; default events:read events:write)");
            return 2;
        }

        var name = args[1];
        var scopes = args.Length > 2 ? args[2..] : [EventScopes.Read, EventScopes.Write];
        if (scopes.FirstOrDefault(s => !EventScopes.All.Contains(s)) is { } unknown)
        {
            errors.WriteLine($"'{unknown}' is not a scope; use {string.Join(", ", EventScopes.All)}.");
            return 2;
        }

        var key = "trk_" + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var hash = ApiKeyRing.HashOf(key);
        output.WriteLine($"API key '{name}' (shown once; give it to its owner and keep it secret):");
        output.WriteLine();
        output.WriteLine($"  {key}");
        output.WriteLine();
        output.WriteLine("Accept it with these settings; only the hash is configured. In appsettings.json:");
        output.WriteLine();
        output.WriteLine(JsonSettings(name, hash, scopes));
        output.WriteLine();
        output.WriteLine("or as environment variables (for docker run -e, systemd or env(1); bash cannot export names with '-'):");
        output.WriteLine();
        output.WriteLine("  Auth__Mode=ApiKey");
        output.WriteLine($"  Auth__ApiKeys__{name}__Hash={hash}");
        for (var i = 0; i < scopes.Length; i++)
        {
            output.WriteLine($"  Auth__ApiKeys__{name}__Scopes__{i}={scopes[i]}");
        }

        output.WriteLine();
        output.WriteLine($"To limit its writes to some services, add Services, e.g. Auth__ApiKeys__{name}__Services__0=payments-*.");
        output.WriteLine("Call Tracker with the header 'Authorization: Bearer <key>'.");
        return 0;
    }

    private static string JsonSettings(string name, string hash, string[] scopes)
    {
        var settings = new System.Text.Json.Nodes.JsonObject
        {
            ["Auth"] = new System.Text.Json.Nodes.JsonObject
            {
                ["Mode"] = "ApiKey",
                ["ApiKeys"] = new System.Text.Json.Nodes.JsonObject
                {
                    [name] = new System.Text.Json.Nodes.JsonObject
                    {
                        ["Hash"] = hash,
                        ["Scopes"] = new System.Text.Json.Nodes.JsonArray(scopes.Select(s => (System.Text.Json.Nodes.JsonNode?)s).ToArray()),
                    },
                },
            },
        };
        return settings.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }
}
