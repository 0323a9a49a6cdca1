using Google.Protobuf;
using Tracker.Api.V1Alpha1;

namespace Tracker.Events.Tests.Support;

/// <summary>An event as one line of JSON, for failure messages.</summary>
public static class EventText
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(false));

    public static string Describe(Event e) => Formatter.Format(e);
}
