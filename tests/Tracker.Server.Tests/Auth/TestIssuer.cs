using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Tracker.Server.Tests.Auth;

/// <summary>
/// A local OpenID Connect issuer for tests: an RSA key that signs JWTs, and its discovery document
/// and JWKS served by the test host itself at <see cref="Authority"/> (no outside issuer). The
/// JwtBearer handler fetches them through the TestServer.
/// </summary>
public sealed class TestIssuer : IDisposable
{
    public const string Authority = "http://localhost/test-issuer";
    public const string Audience = "tracker";

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RsaSecurityKey _key;

    public TestIssuer()
    {
        _key = new RsaSecurityKey(_rsa) { KeyId = "test-key-1" };
    }

    /// <summary>A token signed by this issuer; <paramref name="expires"/> in the past makes it expired.</summary>
    public string Token(string subject, string scopes, string? services = null, DateTime? expires = null, string audience = Audience, SecurityKey? signingKey = null, string[]? servicesArray = null)
    {
        var claims = new Dictionary<string, object> { ["scope"] = scopes };
        if (subject.Length > 0)
        {
            claims["sub"] = subject;
        }

        if (services is not null)
        {
            claims["tracker_services"] = services;
        }

        if (servicesArray is not null)
        {
            claims["tracker_services"] = servicesArray;
        }

        var expiry = expires ?? DateTime.UtcNow.AddHours(1);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Authority,
            Audience = audience,
            Claims = claims,
            IssuedAt = expiry.AddHours(-2),
            NotBefore = expiry.AddHours(-2),
            Expires = expiry,
            SigningCredentials = new SigningCredentials(signingKey ?? _key, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>The settings that make Tracker accept this issuer's tokens.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Auth:Jwt:Authority", Authority),
        new("Auth:Jwt:Audience", Audience),
        new("Auth:Jwt:RequireHttpsMetadata", "false"),
    ];

    /// <summary>Serves the discovery document and JWKS from the test host, and points JwtBearer's backchannel at it.</summary>
    public Action<IServiceCollection> Serve(Func<HttpMessageHandler> testServerHandler) => services =>
    {
        services.AddSingleton<IStartupFilter>(new IssuerEndpoints(this));
        services.Configure<JwtBearerOptions>("Jwt", options => options.BackchannelHttpHandler = new LazyHandler(testServerHandler));
    };

    public void Dispose() => _rsa.Dispose();

    private string Jwks()
    {
        var parameters = _rsa.ExportParameters(includePrivateParameters: false);
        return JsonSerializer.Serialize(new
        {
            keys = new[]
            {
                new { kty = "RSA", use = "sig", alg = "RS256", kid = _key.KeyId, n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) },
            },
        });
    }

    private sealed class IssuerEndpoints(TestIssuer issuer) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Map("/test-issuer/.well-known/openid-configuration", discovery => discovery.Run(context =>
                context.Response.WriteAsJsonAsync(new Dictionary<string, string> { ["issuer"] = Authority, ["jwks_uri"] = Authority + "/jwks" })));
            app.Map("/test-issuer/jwks", jwks => jwks.Run(context =>
            {
                context.Response.ContentType = "application/json";
                return context.Response.WriteAsync(issuer.Jwks());
            }));
            next(app);
        };
    }

    /// <summary>The TestServer's handler, created on first use (the server exists by then).</summary>
    private sealed class LazyHandler(Func<HttpMessageHandler> create) : HttpMessageHandler
    {
        private readonly Lazy<HttpMessageInvoker> _inner = new(() => new HttpMessageInvoker(create()));

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            _inner.Value.SendAsync(request, cancellationToken);
    }
}
