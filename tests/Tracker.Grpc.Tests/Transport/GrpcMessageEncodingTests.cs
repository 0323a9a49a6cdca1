using Tracker.Grpc.Transport;

namespace Tracker.Grpc.Tests.Transport;

public sealed class GrpcMessageEncodingTests
{
    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("100% done", "100%25 done")]
    [InlineData("line\nbreak", "line%0Abreak")]
    [InlineData("tab\there", "tab%09here")]
    [InlineData("caf\u00e9", "caf%C3%A9")]
    [InlineData("\u65e5\u672c", "%E6%97%A5%E6%9C%AC")]
    [InlineData("~ and space", "~ and space")]
    public void Encode_Message_PercentEncodesOutsidePrintableAscii(string message, string expected)
    {
        Assert.Equal(expected, GrpcMessageEncoding.Encode(message));
    }
}
