using System.Reflection;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Tracker.Events.Access;
using Tracker.Server.Limits;

namespace Tracker.Server.Mcp;

/// <summary>
/// The MCP server for AI agents at <c>/mcp</c> on the HTTP endpoint (Kestrel:Endpoints:Http), with
/// ModelContextProtocol.AspNetCore's Streamable HTTP transport (MCP specification 2025-11-25,
/// "Transports"), stateless: every POST carries its own credentials and is served on its own, so
/// replicas behind a load balancer need no session affinity, and GET and DELETE answer 405.
/// <list type="bullet">
/// <item>Tools (<see cref="EventReadTools"/>, <see cref="EventWriteTools"/>) run EventService
/// methods through the API's own pipeline (<see cref="EventServiceCalls"/>): the same scopes,
/// services, validation and messages as gRPC and REST, answered as tool errors.</item>
/// <item>While authentication is on (Auth:Mode), a request without valid credentials is answered
/// 401 with <c>WWW-Authenticate: Bearer</c> and the REST API's error body before any MCP message
/// is read; a body that is no JSON-RPC message gets JSON-RPC's own error (<see cref="McpRequestGuard"/>).</item>
/// <item>For Limits, each request is one read call: it draws from its caller's token bucket and
/// takes a read slot, whatever tool it calls.</item>
/// </list>
/// </summary>
internal static class TrackerMcp
{
    /// <summary>The path of the MCP endpoint.</summary>
    public const string Path = "/mcp";

    public static IServiceCollection AddTrackerMcp(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton<EventServiceCalls>();
        services.AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation
                {
                    Name = "tracker",
                    Title = "Tracker",
                    Version = typeof(TrackerMcp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0",
                };
                options.ServerInstructions =
                    "Tracker records what happens to a platform: deployments, operations, incidents, drift and automation runs, each an event with "
                    + "a type, a service, an environment, a status, a severity and times. Use recent_changes for \"what changed in <environment> in the "
                    + "last N hours\", search_events to find events (AIP-160 filter, full text, time range), get_event for one event, count_events for "
                    + "counts by type and service, and create_event to record an event (needs the events:write scope).";
            })
            .WithHttpTransport(transport => transport.SessionMode = HttpServerSessionMode.Stateless)
            .WithRequestFilters(filters => filters.AddCallToolFilter(ToolCallFilter.Filter))
            .WithTools<EventReadTools>()
            .WithTools<EventWriteTools>();
        services.PostConfigure<McpServerOptions>(options =>
        {
            foreach (var tool in options.ToolCollection ?? [])
            {
                ToolArgumentCheck.RequireStringMapValues(tool);
            }
        });
        return services;
    }

    public static WebApplication MapTrackerMcp(this WebApplication app)
    {
        app.MapMcp(Path)
            .Guarded()
            .LimitedAs(RpcLimitClass.Read);
        return app;
    }
}
