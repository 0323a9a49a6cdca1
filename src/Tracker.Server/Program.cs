using Tracker.Grpc;
using Tracker.Server;

// Tracker: gRPC on Kestrel:Endpoints:Grpc (default :8765), REST and gRPC on
// Kestrel:Endpoints:Http (default :8080), events in SQLite or PostgreSQL (Storage:Provider).
var builder = WebApplication.CreateBuilder(args);
builder.AddTrackerDefaults();
builder.ConfigureTrackerEndpoints();
builder.Services.AddTracker(builder.Configuration);

var app = builder.Build();
app.UseGrpcRuntime();
app.MapTracker();
app.Run();
