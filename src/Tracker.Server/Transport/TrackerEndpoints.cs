using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Tracker.Server.Transport;

/// <summary>Kestrel's endpoints, from the Kestrel configuration section.</summary>
internal static class TrackerEndpoints
{
    public static WebApplicationBuilder ConfigureTrackerEndpoints(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
            kestrel.Configure(context.Configuration.GetSection("Kestrel"), reloadOnChange: false)
                .Endpoint("Http", endpoint =>
                {
                    // curl speaks HTTP/1.1, gRPC clients and h2load prior-knowledge HTTP/2: serve both.
                    if (endpoint.ListenOptions.Protocols == HttpProtocols.Http1AndHttp2 && !endpoint.IsHttps)
                    {
                        endpoint.ListenOptions.UseCleartextHttp2Detection();
                    }
                }));
        return builder;
    }
}
