using Microsoft.Extensions.Configuration.Memory;

namespace Tracker.Server;

/// <summary>The settings Tracker runs with when nothing else is configured.</summary>
internal static class TrackerDefaults
{
    public static readonly IReadOnlyDictionary<string, string?> Values = new Dictionary<string, string?>
    {
        ["Kestrel:Endpoints:Grpc:Url"] = "http://0.0.0.0:8765",
        ["Kestrel:Endpoints:Grpc:Protocols"] = "Http2",
        ["Kestrel:Endpoints:Http:Url"] = "http://0.0.0.0:8080",
        ["Kestrel:Endpoints:Http:Protocols"] = "Http1AndHttp2",
        ["Storage:Provider"] = "Sqlite",
        ["ConnectionStrings:Sqlite"] = "Data Source=data/tracker.db",
        ["Tracker:TimeZone"] = "UTC",
        // ASP.NET Core and Npgsql log every request and command at Information: keep their
        // warnings and errors, and Tracker's own start-up and lifetime messages.
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Npgsql"] = "Warning",
        // Grpc.AspNetCore and JSON transcoding log each refused request at Information with its
        // stack trace; the client is told why, the log keeps warnings and errors.
        ["Logging:LogLevel:Grpc"] = "Warning",
        // Authentication registers ASP.NET Core data protection, which warns at start-up that its
        // key ring is unencrypted. Tracker protects nothing with it: credentials are bearer
        // tokens and API keys, never cookies.
        ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Error",
    };

    /// <summary>
    /// Puts the defaults first, under appsettings.json, environment variables
    /// (Kestrel__Endpoints__Grpc__Url=...) and the command line, which all override them.
    /// </summary>
    public static WebApplicationBuilder AddTrackerDefaults(this WebApplicationBuilder builder)
    {
        IConfigurationBuilder configuration = builder.Configuration;
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Values });
        return builder;
    }
}
