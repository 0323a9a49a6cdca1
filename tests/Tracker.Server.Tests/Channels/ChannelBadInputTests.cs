using Grpc.Core;
using Tracker.Api.V1Alpha1;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.Channels;

/// <summary>
/// ChannelService requests whose bytes are not the protobuf encoding of their type are answered
/// INTERNAL naming the type, as the EventService's are (and grpc-go and grpc-java do), never
/// UNKNOWN with an Error log and a stack trace.
/// </summary>
public sealed class ChannelBadInputTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    public static TheoryData<string, string> Methods()
    {
        var data = new TheoryData<string, string>();
        foreach (var method in ChannelService.Descriptor.Methods)
        {
            data.Add(method.Name, method.InputType.FullName);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task Call_LengthPastTheEnd_InternalNamingTheMessageType(string method, string requestType)
    {
        var mark = factory.Logs.Mark();

        var response = await RawGrpc.SendAsync(factory.Server.CreateClient(), ChannelService.Descriptor.FullName, method, RawGrpc.Frame([0x0A, 0x20, 0x41]));

        Assert.True(response.GrpcStatus == StatusCode.Internal, $"{method}: {response}");
        Assert.Equal($"The request message is not a valid {requestType} (protobuf encoding).", response.GrpcMessage);
        Assert.Empty(factory.Logs.ErrorsWithExceptionsSince(mark));
    }
}
