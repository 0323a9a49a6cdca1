using Tracker.Events.Hosting;
using Tracker.Server;

// Tracker: gRPC on Kestrel:Endpoints:Grpc (default :8765); REST, gRPC-Web and gRPC on
// Kestrel:Endpoints:Http (default :8080); events in SQLite or PostgreSQL (Storage:Provider).
var builder = WebApplication.CreateBuilder(args);
builder.AddTrackerDefaults();
builder.ConfigureTrackerEndpoints();
builder.AddTrackerTelemetry();
builder.Services.AddTrackerEvents(builder.Configuration);
builder.Services.AddEventStore(builder.Configuration);
builder.Services.AddTrackerApi();
builder.Services.AddTrackerHealth();
builder.Services.AddTrackerOpenApi();

var app = builder.Build();
app.UseTrackerApi();
app.MapTrackerApi();
app.MapTrackerHealth();
app.MapTrackerOpenApi();
app.MapTrackerTelemetry();
app.Run();
