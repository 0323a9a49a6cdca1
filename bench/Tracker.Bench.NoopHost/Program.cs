using Tracker.Bench.NoopHost;
using Tracker.Bench.V1;
using Tracker.Grpc;

// The no-op gRPC method of bench scenario c, on Tracker's runtime, HTTP/2 only on --urls.
// GET /calls tells how many calls the method answered (the bench's own count of successes).
var builder = WebApplication.CreateBuilder(args);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2));
builder.Services.AddGrpcRuntime();
builder.Services.AddSingleton<NoopServiceImpl>();

var app = builder.Build();
app.UseGrpcRuntime();
app.MapGrpcService<NoopServiceImpl>(NoopReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.ServiceDescriptor>("NoopService"));
app.MapGet("/calls", (NoopServiceImpl service) => Results.Text(service.Calls.ToString(System.Globalization.CultureInfo.InvariantCulture)));
app.Run();
