using Google.Protobuf;
using Google.Rpc;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Tracker.Grpc.Transport;

namespace Tracker.Grpc.Tests.Transport;

public sealed class GrpcStatusWriterTests
{
    [Fact]
    public void Write_ResponseNotStarted_WritesTrailersOnlyHeaders()
    {
        var context = new DefaultHttpContext();

        GrpcStatusWriter.Write(context.Response, StatusCode.NotFound, "no such événement", null, null);

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("application/grpc", context.Response.ContentType);
        Assert.Equal("5", context.Response.Headers["grpc-status"]);
        Assert.Equal("no such %C3%A9v%C3%A9nement", context.Response.Headers["grpc-message"]);
    }

    [Fact]
    public void Write_ResponseStarted_WritesTrailers()
    {
        var (context, trailers) = StartedContext();
        var custom = new HeaderDictionary { ["x-custom"] = "value" };

        GrpcStatusWriter.Write(context.Response, StatusCode.OK, null, null, custom);

        Assert.Equal("0", trailers["grpc-status"]);
        Assert.Equal("value", trailers["x-custom"]);
        Assert.False(trailers.ContainsKey("grpc-message"));
        Assert.False(context.Response.Headers.ContainsKey("grpc-status"));
    }

    [Fact]
    public void Write_MessageWrittenButNotYetSent_WritesTrailers()
    {
        var context = new DefaultHttpContext();
        var trailers = new TrailersFeature();
        context.Features.Set<IHttpResponseTrailersFeature>(trailers);

        GrpcStatusWriter.Write(context.Response, StatusCode.OK, null, null, null, messageWritten: true);

        Assert.False(context.Response.HasStarted);
        Assert.Equal("0", trailers.Trailers["grpc-status"]);
        Assert.False(context.Response.Headers.ContainsKey("grpc-status"));
    }

    [Fact]
    public void Write_WithDetails_WritesUnpaddedBase64Status()
    {
        var (context, trailers) = StartedContext();
        var details = new Google.Rpc.Status { Code = 3, Message = "bad", Details = { Google.Protobuf.WellKnownTypes.Any.Pack(new BadRequest()) } };

        GrpcStatusWriter.Write(context.Response, StatusCode.InvalidArgument, "bad", details, null);

        var value = trailers["grpc-status-details-bin"].ToString();
        Assert.DoesNotContain("=", value);
        var padded = value.PadRight(value.Length + ((4 - (value.Length % 4)) % 4), '=');
        Assert.Equal(details, Google.Rpc.Status.Parser.ParseFrom(Convert.FromBase64String(padded)));
    }

    [Fact]
    public void WriteHttpError_SetsHttpStatusAndGrpcHeaders()
    {
        var context = new DefaultHttpContext();

        GrpcStatusWriter.WriteHttpError(context.Response, 415, StatusCode.Internal, "Content-Type 'text/plain' is not supported.");

        Assert.Equal(415, context.Response.StatusCode);
        Assert.Equal("13", context.Response.Headers["grpc-status"]);
    }

    private static (DefaultHttpContext Context, IHeaderDictionary Trailers) StartedContext()
    {
        var context = new DefaultHttpContext();
        var trailers = new TrailersFeature();
        context.Features.Set<IHttpResponseTrailersFeature>(trailers);
        context.Features.Set<IHttpResponseFeature>(new StartedResponseFeature());
        return (context, trailers.Trailers);
    }

    private sealed class TrailersFeature : IHttpResponseTrailersFeature
    {
        public IHeaderDictionary Trailers { get; set; } = new HeaderDictionary();
    }

    private sealed class StartedResponseFeature : HttpResponseFeature
    {
        public override bool HasStarted => true;
    }
}
