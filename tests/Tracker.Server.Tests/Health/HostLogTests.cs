using System.Net;
using Microsoft.Extensions.Logging;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.Health;

/// <summary>What the host logs while it starts and serves ordinary calls on every transport.</summary>
public sealed class HostLogTests
{
    [Fact]
    public async Task Host_OrdinaryCallsOnEveryTransport_LogNoWarningFromTheGrpcStack()
    {
        await using var factory = new TrackerFactory();
        await factory.CreateGrpcClient().CreateEventAsync(TestEvents.Deployment()).Bounded();
        (await factory.CreateClient().GetRestAsync("/api/v1alpha1/events/list")).Expect(HttpStatusCode.OK);
        (await factory.CreateClient().GetRestAsync("/openapi.json")).Expect(HttpStatusCode.OK);

        var warnings = factory.Logs.Entries.Where(e => e.Level >= LogLevel.Warning && e.Category.Contains("Grpc", StringComparison.Ordinal)).ToList();

        Assert.True(warnings.Count == 0, string.Join("\n", warnings));
        Assert.Contains(factory.Logs.Entries, e => e.Category == "Microsoft.Hosting.Lifetime");
    }
}
