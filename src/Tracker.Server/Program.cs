using Tracker.Events.Hosting;
using Tracker.Notifications;
using Tracker.Server;
using Tracker.Server.Auth;
using Tracker.Server.Limits;
using Tracker.Server.Mcp;
using Tracker.Server.Transport;

// `-- new-api-key <name>` prints a new API key and the settings that accept it, and exits.
if (NewApiKeyCommand.Matches(args))
{
    return NewApiKeyCommand.Run(args, Console.Out, Console.Error);
}

// Tracker: gRPC on Kestrel:Endpoints:Grpc (default :8765); REST, gRPC-Web and gRPC on
// Kestrel:Endpoints:Http (default :8080), and the MCP server for agents at /mcp there; events in
// SQLite or PostgreSQL (Storage:Provider).
var builder = WebApplication.CreateBuilder(args);
builder.AddTrackerDefaults();
builder.ConfigureTrackerEndpoints();
builder.AddTrackerTelemetry();
builder.Services.AddTrackerEvents(builder.Configuration);
builder.Services.AddEventStore(builder.Configuration);
builder.Services.AddTrackerApi();
builder.Services.AddTrackerNotifications(builder.Configuration);
builder.AddTrackerAuth();
builder.Services.AddTrackerLimits();
builder.Services.AddTrackerHealth();
builder.Services.AddTrackerOpenApi();
builder.Services.AddTrackerWebUi();
builder.Services.AddTrackerMcp();

var app = builder.Build();
app.UseTrackerApi();
app.UseTrackerTelemetry();
app.UseTrackerAuth();
app.UseTrackerLimits();
app.MapTrackerApi();
app.MapTrackerHealth();
app.MapTrackerOpenApi();
app.MapTrackerTelemetry();
app.MapTrackerMcp();
app.MapTrackerWebUi();
return app.RunOrExplain();
