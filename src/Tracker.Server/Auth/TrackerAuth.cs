using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Tracker.Events.Access;

namespace Tracker.Server.Auth;

/// <summary>
/// Authentication: off unless Auth:Mode says otherwise; API keys
/// (<see cref="ApiKeyAuthenticationHandler"/>), JWTs from an OpenID Connect issuer (ASP.NET
/// Core's JwtBearer), or both, told apart per request by the credential's shape. Authorization
/// (scopes, services) runs in the call pipeline (EventCallPipeline, a gRPC interceptor) for every
/// transport; only reflection, when Auth:Reflection is Authenticated, is guarded here.
/// </summary>
internal static class TrackerAuth
{
    public static WebApplicationBuilder AddTrackerAuth(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AuthOptions>().BindConfigurationCheckingEnums(AuthOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();

        var mode = Unvalidated(builder.Configuration).Mode;
        services.AddAuthorization();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, GrpcAuthorizationResults>();
        if (!mode.IsEnabled())
        {
            // An invalid Mode reads as None here (or as the kinds it names); start-up validation
            // then stops the host with the reason before any call is served.
            return builder;
        }

        services.AddSingleton<ApiKeyRing>();
        services.AddSingleton<CallerClaims>();
        services.AddSingleton<ICallerIdentity, BearerCallerIdentity>();
        var authentication = services.AddAuthentication(mode.DefaultScheme());
        if (mode.AcceptsApiKeys())
        {
            authentication.AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(AuthModes.ApiKeyScheme, null);
        }

        if (mode.AcceptsJwts())
        {
            authentication.AddJwtBearer(AuthModes.JwtScheme, _ => { });
            services.AddOptions<JwtBearerOptions>(AuthModes.JwtScheme).Configure<IOptions<AuthOptions>>((jwt, auth) =>
            {
                var issuer = auth.Value.Jwt;
                jwt.Authority = issuer.Authority;
                jwt.Audience = issuer.Audience;
                jwt.RequireHttpsMetadata = issuer.RequireHttpsMetadata;
                // Claims keep their JWT names ("sub", "scope"), as Auth:Jwt names them.
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters.NameClaimType = issuer.NameClaim;
                // An empty array gives no claim at all, which would read as "every service": mark it.
                jwt.Events = new JwtBearerEvents { OnTokenValidated = context => EmptyServicesClaim.Mark(context, issuer.ServicesClaim) };
            });
        }

        if (mode.AcceptsApiKeys() && mode.AcceptsJwts())
        {
            authentication.AddPolicyScheme(AuthModes.BearerScheme, "API key or JWT", policy =>
                policy.ForwardDefaultSelector = context =>
                    BearerCredential.Of(context.Request) is { } credential && BearerCredential.LooksLikeJwt(credential)
                        ? AuthModes.JwtScheme
                        : AuthModes.ApiKeyScheme);
        }

        return builder;
    }

    /// <summary>
    /// WWW-Authenticate on 401s, authentication (it sets the caller every transport's handler
    /// reads), authorization for reflection; logs whether authentication is on. Reads the
    /// settings unvalidated: a bad Auth section stops the host when it starts, with the reasons.
    /// </summary>
    public static WebApplication UseTrackerAuth(this WebApplication app)
    {
        var settings = Unvalidated(app.Configuration);
        if (settings.Mode.IsEnabled())
        {
            AuthLog.AuthenticationOn(app.Logger, settings.Mode.ToString(), settings.ApiKeys.Count, settings.ReflectionNeedsCredentials ? "for authenticated callers only" : "open");
            app.UseMiddleware<BearerChallengeHeader>();
            app.UseAuthentication();
        }
        else
        {
            AuthLog.AuthenticationOff(app.Logger);
        }

        app.UseAuthorization();
        return app;
    }

    /// <summary>Guards server reflection when Auth:Reflection is Authenticated.</summary>
    public static IEndpointConventionBuilder ProtectedAsConfigured(this IEndpointConventionBuilder reflection, WebApplication app)
    {
        var settings = Unvalidated(app.Configuration);
        if (settings.Mode.IsEnabled() && settings.ReflectionNeedsCredentials)
        {
            reflection.RequireAuthorization();
        }

        return reflection;
    }

    /// <summary>
    /// The Auth section as the binder reads it, for choosing what to register before the host
    /// starts; the defaults (authentication off) when a value cannot be converted. A bad section
    /// stops the host when it starts, with the reasons, before any call is served.
    /// </summary>
    private static AuthOptions Unvalidated(IConfiguration configuration)
    {
        try
        {
            return configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        }
        catch (InvalidOperationException)
        {
            return new AuthOptions();
        }
    }
}
