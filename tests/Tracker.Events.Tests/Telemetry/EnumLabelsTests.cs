using Tracker.Api.V1Alpha1;
using Tracker.Events.Telemetry;
using Xunit;
using EventEnvironment = Tracker.Api.V1Alpha1.Environment;
using EventType = Tracker.Api.V1Alpha1.Type;

namespace Tracker.Events.Tests.Telemetry;

public sealed class EnumLabelsTests
{
    [Fact]
    public void Of_ValueOfSeveralWords_IsTheProtoNameWithoutPrefixInLowerCase()
    {
        Assert.Equal("rpa_usage", EnumLabels<EventType>.Of(EventType.RpaUsage));
        Assert.Equal("preproduction", EnumLabels<EventEnvironment>.Of(EventEnvironment.Preproduction));
        Assert.Equal("alert", EnumLabels<Severity>.Of(Severity.Alert));
    }

    [Fact]
    public void Of_ZeroValue_IsUnspecified()
    {
        Assert.Equal("unspecified", EnumLabels<Severity>.Of(Severity.Unspecified));
    }

    [Fact]
    public void Of_NumberTheEnumLacks_IsUnknown()
    {
        Assert.Equal("unknown", EnumLabels<EventType>.Of((EventType)99));
    }
}
