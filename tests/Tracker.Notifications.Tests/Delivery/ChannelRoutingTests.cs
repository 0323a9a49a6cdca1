using Tracker.Api.V1Alpha1;
using Tracker.Notifications.Delivery;

namespace Tracker.Notifications.Tests.Delivery;

/// <summary>The routing rule of README's "Notifications", one clause at a time.</summary>
public sealed class ChannelRoutingTests
{
    [Fact]
    public void Routes_FilterMatches_Subscribed()
    {
        var routing = ChannelRouting.Of(new Channel { Name = "prod", Filter = "environment = ENVIRONMENT_PRODUCTION" })!;

        Assert.True(routing.Routes(ChangeType.Created, Event(Api.V1Alpha1.Environment.Production)));
        Assert.False(routing.Routes(ChangeType.Created, Event(Api.V1Alpha1.Environment.Development)));
    }

    [Fact]
    public void Routes_FilterMatchesButTheEventAsksOtherChannels_StillSubscribed()
    {
        var routing = ChannelRouting.Of(new Channel { Name = "prod", Filter = "environment = ENVIRONMENT_PRODUCTION" })!;

        Assert.True(routing.Routes(ChangeType.Created, Event(Api.V1Alpha1.Environment.Production, notification: true, "slack")));
    }

    [Theory]
    [InlineData(true, new[] { "slack" }, true)]
    [InlineData(true, new[] { "email", "slack" }, true)]
    [InlineData(false, new[] { "slack" }, false)]
    [InlineData(true, new[] { "email" }, false)]
    [InlineData(true, new string[0], false)]
    [InlineData(true, new[] { "Slack" }, false)]
    public void Routes_NoFilter_OnlyWhenTheEventNamesTheChannelWithNotificationTrue(bool notification, string[] notifications, bool routed)
    {
        var routing = ChannelRouting.Of(new Channel { Name = "slack" })!;

        Assert.Equal(routed, routing.Routes(ChangeType.Created, Event(Api.V1Alpha1.Environment.Production, notification, notifications)));
    }

    [Fact]
    public void Routes_ChangeTypeNotTaken_NotRouted()
    {
        var channel = new Channel { Name = "deletes", Filter = "service = \"checkout\"" };
        channel.ChangeTypes.Add(ChangeType.Deleted);
        var routing = ChannelRouting.Of(channel)!;

        Assert.False(routing.Routes(ChangeType.Created, Event(Api.V1Alpha1.Environment.Production)));
        Assert.False(routing.Routes(ChangeType.Updated, Event(Api.V1Alpha1.Environment.Production)));
        Assert.True(routing.Routes(ChangeType.Deleted, Event(Api.V1Alpha1.Environment.Production)));
    }

    [Fact]
    public void Routes_Disabled_Nothing()
    {
        var routing = ChannelRouting.Of(new Channel { Name = "slack", Disabled = true })!;

        Assert.False(routing.Routes(ChangeType.Created, Event(Api.V1Alpha1.Environment.Production, notification: true, "slack")));
    }

    [Fact]
    public void Of_StoredFilterNoLongerParses_Null() =>
        Assert.Null(ChannelRouting.Of(new Channel { Name = "broken", Filter = "no_such_field = 1" }));

    private static Event Event(Api.V1Alpha1.Environment environment, bool notification = false, params string[] notifications)
    {
        var attributes = new EventAttributes
        {
            Type = Api.V1Alpha1.Type.Deployment,
            Service = "checkout",
            Environment = environment,
            Notification = notification,
        };
        attributes.Notifications.AddRange(notifications);
        return new Event { Id = "01", Title = "deployed", Attributes = attributes };
    }
}
