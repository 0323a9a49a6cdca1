using System.Buffers;
using System.IO.Pipelines;

// The baseline of bench scenario c: a minimal Kestrel HTTP/2 endpoint that reads the request
// body and answers with the same bytes as the no-op gRPC method on Grpc.AspNetCore: the same
// headers (content-type application/grpc only: unlike the home-made runtime, Grpc.AspNetCore
// sends no grpc-accept-encoding, and h2load asks for no compression), the framed
// NoopResponse{text:"ok"} (00 00000004 0a 02 6f 6b) and the trailer grpc-status: 0.
// GET /calls tells how many calls it answered.
var builder = WebApplication.CreateBuilder(args);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2));

var app = builder.Build();
byte[] response = [0x00, 0x00, 0x00, 0x00, 0x04, 0x0a, 0x02, 0x6f, 0x6b];
long calls = 0;

app.MapPost("/tracker.bench.v1.NoopService/Noop", async (HttpContext context) =>
{
    await Drain(context.Request.BodyReader, context.RequestAborted);
    context.Response.ContentType = "application/grpc";
    await context.Response.BodyWriter.WriteAsync(response, context.RequestAborted);
    context.Response.AppendTrailer("grpc-status", "0");
    Interlocked.Increment(ref calls);
});
app.MapGet("/calls", () => Results.Text(Interlocked.Read(ref calls).ToString(System.Globalization.CultureInfo.InvariantCulture)));
app.Run();

static async Task Drain(PipeReader reader, CancellationToken cancellationToken)
{
    while (true)
    {
        var read = await reader.ReadAsync(cancellationToken);
        reader.AdvanceTo(read.Buffer.End);
        if (read.IsCompleted)
        {
            return;
        }
    }
}
