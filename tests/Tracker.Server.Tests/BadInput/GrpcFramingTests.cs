using System.Buffers.Binary;
using System.Text;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Tracker.Api.V1Alpha1;
using Tracker.Server.Tests.Support;
using StatusCode = Grpc.Core.StatusCode;

namespace Tracker.Server.Tests.BadInput;

/// <summary>
/// Request bodies whose gRPC framing is wrong, which Grpc.AspNetCore rejects before any Tracker
/// code runs: each answers what grpc-go, grpc-java and C-core answer (RESOURCE_EXHAUSTED for a
/// message declared over the 4 MiB limit, INTERNAL for a bad Compressed-Flag or a body that does
/// not decode), on every EventService method and over gRPC, gRPC-Web and gRPC-Web-text, and logs
/// nothing at Error.
/// </summary>
public sealed class GrpcFramingTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private const string Service = "tracker.event.v1alpha1.EventService";

    /// <summary>Framing faults in the bytes Grpc.AspNetCore reads (for gRPC-Web-text, once decoded).</summary>
    private static readonly (string Name, byte[] Body, StatusCode Expected)[] FramingFaults =
    [
        ("length 0xFFFFFFFF", Prefix(0, 0xFFFFFFFF), StatusCode.ResourceExhausted),
        ("length 2^31", Prefix(0, 0x80000000), StatusCode.ResourceExhausted),
        ("length 4 MiB + 1, nothing sent", Prefix(0, (4 * 1024 * 1024) + 1), StatusCode.ResourceExhausted),
        ("compressed, length 0xFFFFFFFF", Prefix(1, 0xFFFFFFFF), StatusCode.ResourceExhausted),
        ("compressed flag 2", [.. Prefix(2, 2), 0x0A, 0x00], StatusCode.Internal),
        ("compressed flag 0x80", Prefix(0x80, 0), StatusCode.Internal),
        ("compressed flag 0xFF, length 0xFFFFFFFF", Prefix(0xFF, 0xFFFFFFFF), StatusCode.Internal),
        ("second message with flag 2", [.. Prefix(0, 0), .. Prefix(2, 0)], StatusCode.Internal),
    ];

    /// <summary>application/grpc-web-text bodies that are not base64.</summary>
    private static readonly string[] NotBase64 = ["!!!notbase64", "AAAA=AAA", "AA", "AAAA\u00e9AAA", "AAAA-_AA"];

    private static readonly string[] ContentTypes = ["application/grpc", "application/grpc-web", "application/grpc-web-text"];

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var method in EventService.Descriptor.Methods.Select(m => m.Name))
        {
            foreach (var contentType in ContentTypes)
            {
                foreach (var fault in FramingFaults)
                {
                    data.Add(method, contentType, fault.Name);
                }
            }

            foreach (var text in NotBase64)
            {
                data.Add(method, "application/grpc-web-text", "text " + text);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Call_FramingFault_StatusOtherServersGiveAndNoErrorLog(string method, string contentType, string fault)
    {
        var (body, expected) = Request(contentType, fault);
        var mark = factory.Logs.Mark();

        var response = await RawGrpc.SendAsync(factory.Server.CreateClient(), Service, method, body, contentType);

        Assert.True(response.GrpcStatus == expected, $"{method} {contentType} {fault}: {response}");
        Assert.DoesNotContain("Exception was thrown by handler", response.GrpcMessage ?? "", StringComparison.Ordinal);
        Assert.DoesNotContain(factory.Logs.Entries.Skip(mark), e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task GetEvent_WellFramedGrpcWebText_ReachesTheService()
    {
        var body = Encoding.ASCII.GetBytes(Convert.ToBase64String(RawGrpc.Frame(new GetEventRequest { Id = "" }.ToByteArray())));

        var response = await RawGrpc.SendAsync(factory.Server.CreateClient(), Service, "GetEvent", body, "application/grpc-web-text");

        Assert.True(response.GrpcStatus == StatusCode.InvalidArgument, response.ToString());
    }

    /// <summary>The body to send for a fault of the table, base64-encoded for gRPC-Web-text, and the status it must get.</summary>
    private static (byte[] Body, StatusCode Expected) Request(string contentType, string fault)
    {
        if (fault.StartsWith("text ", StringComparison.Ordinal))
        {
            return (Encoding.UTF8.GetBytes(fault["text ".Length..]), StatusCode.Internal);
        }

        var (_, body, expected) = FramingFaults.Single(f => f.Name == fault);
        return (contentType == "application/grpc-web-text" ? Encoding.ASCII.GetBytes(Convert.ToBase64String(body)) : body, expected);
    }

    private static byte[] Prefix(byte compressedFlag, uint length)
    {
        var prefix = new byte[5];
        prefix[0] = compressedFlag;
        BinaryPrimitives.WriteUInt32BigEndian(prefix.AsSpan(1), length);
        return prefix;
    }
}
