using System.IO.Compression;
using Tracker.Bench.NoopHost;

// The no-op gRPC method of bench scenario c, on Grpc.AspNetCore, HTTP/2 only on --urls, with
// Tracker.Server's gRPC settings (src/Tracker.Server/Transport/TrackerApi.cs). GET /calls tells how many
// calls the method answered (the bench's own count of successes).
const int MaxMessageBytes = 4 * 1024 * 1024;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2));
builder.Services.AddGrpc(options =>
{
    options.MaxReceiveMessageSize = MaxMessageBytes;
    options.MaxSendMessageSize = MaxMessageBytes;
    options.ResponseCompressionAlgorithm = "gzip";
    options.ResponseCompressionLevel = CompressionLevel.Fastest;
});
// One instance for every call (Grpc.AspNetCore would otherwise make one per call), whose count
// GET /calls reads.
builder.Services.AddSingleton<NoopServiceImpl>();

var app = builder.Build();
app.MapGrpcService<NoopServiceImpl>();
app.MapGet("/calls", (NoopServiceImpl service) => Results.Text(service.Calls.ToString(System.Globalization.CultureInfo.InvariantCulture)));
app.Run();
