using System.IO.Compression;
using System.IO.Pipelines;
using Google.Protobuf;
using Tracker.Grpc.Transport;
using Tracker.Testing;
using Tracker.Testing.Echo;

namespace Tracker.Grpc.Tests.Transport;

public sealed class GrpcFrameReaderTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(1000)]
    public async Task ReadAsync_FramesSplitAtAnyBoundary_ReadsEveryMessage(int chunkSize)
    {
        var bytes = GrpcTestClient.Frame(new EchoRequest { Text = "first" })
            .Concat(GrpcTestClient.Frame(new EchoRequest()))
            .Concat(GrpcTestClient.Frame(new EchoRequest { Text = new string('x', 300) }))
            .ToArray();
        var pipe = new Pipe();
        var writer = WriteInChunksAsync(pipe.Writer, bytes, chunkSize);
        var reader = new GrpcFrameReader(pipe.Reader, EchoRequest.Parser, null, 4 * 1024 * 1024);

        var texts = new List<string>();
        while (await reader.ReadAsync(CancellationToken.None).AsTask().WaitAsync(Limit) is EchoRequest message)
        {
            texts.Add(message.Text);
        }

        await writer.WaitAsync(Limit);
        Assert.Equal(["first", "", new string('x', 300)], texts);
    }

    [Fact]
    public async Task ReadAsync_TruncatedFrame_ThrowsInternal()
    {
        var bytes = GrpcTestClient.Frame(new EchoRequest { Text = "cut short" });
        var reader = ReaderOver(bytes[..^2]);

        var error = await Assert.ThrowsAsync<RpcException>(() => reader.ReadAsync(CancellationToken.None).AsTask().WaitAsync(Limit));
        Assert.Equal(StatusCode.Internal, error.Code);
    }

    [Fact]
    public async Task ReadAsync_MessageOverLimit_ThrowsResourceExhausted()
    {
        var bytes = GrpcTestClient.Frame(new EchoRequest { Padding = ByteString.CopyFrom(new byte[2000]) });
        var reader = ReaderOver(bytes, maxMessageSize: 1000);

        var error = await Assert.ThrowsAsync<RpcException>(() => reader.ReadAsync(CancellationToken.None).AsTask().WaitAsync(Limit));
        Assert.Equal(StatusCode.ResourceExhausted, error.Code);
    }

    [Fact]
    public async Task ReadAsync_GzipCompressedFrame_Decompresses()
    {
        var reader = ReaderOver(GrpcTestClient.Frame(Gzip(new EchoRequest { Text = "zipped" }.ToByteArray()), compressedFlag: true), encoding: "gzip");

        var message = (EchoRequest?)await reader.ReadAsync(CancellationToken.None).AsTask().WaitAsync(Limit);

        Assert.Equal("zipped", message?.Text);
    }

    [Fact]
    public async Task ReadAsync_GzipBombOverLimit_ThrowsResourceExhausted()
    {
        var big = new EchoRequest { Padding = ByteString.CopyFrom(new byte[100_000]) }.ToByteArray();
        var reader = ReaderOver(GrpcTestClient.Frame(Gzip(big), compressedFlag: true), encoding: "gzip", maxMessageSize: 10_000);

        var error = await Assert.ThrowsAsync<RpcException>(() => reader.ReadAsync(CancellationToken.None).AsTask().WaitAsync(Limit));
        Assert.Equal(StatusCode.ResourceExhausted, error.Code);
    }

    [Fact]
    public async Task ReadAsync_CompressedFlagWithoutEncoding_ThrowsInternal()
    {
        var reader = ReaderOver(GrpcTestClient.Frame(Gzip([1, 2, 3]), compressedFlag: true));

        var error = await Assert.ThrowsAsync<RpcException>(() => reader.ReadAsync(CancellationToken.None).AsTask().WaitAsync(Limit));
        Assert.Equal(StatusCode.Internal, error.Code);
    }

    [Fact]
    public async Task ReadAsync_GarbagePayload_ThrowsInternal()
    {
        var reader = ReaderOver(GrpcTestClient.Frame([0xFF, 0xFF, 0xFF]));

        var error = await Assert.ThrowsAsync<RpcException>(() => reader.ReadAsync(CancellationToken.None).AsTask().WaitAsync(Limit));
        Assert.Equal(StatusCode.Internal, error.Code);
    }

    [Fact]
    public async Task ReadAsync_EmptyBody_ReturnsNull()
    {
        var reader = ReaderOver([]);

        Assert.Null(await reader.ReadAsync(CancellationToken.None).AsTask().WaitAsync(Limit));
    }

    private static GrpcFrameReader ReaderOver(byte[] bytes, string? encoding = null, int maxMessageSize = 4 * 1024 * 1024) =>
        new(PipeReader.Create(new MemoryStream(bytes)), EchoRequest.Parser, encoding, maxMessageSize);

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private static async Task WriteInChunksAsync(PipeWriter writer, byte[] bytes, int chunkSize)
    {
        for (var offset = 0; offset < bytes.Length; offset += chunkSize)
        {
            await writer.WriteAsync(bytes.AsMemory(offset, Math.Min(chunkSize, bytes.Length - offset)));
        }

        await writer.CompleteAsync();
    }
}
