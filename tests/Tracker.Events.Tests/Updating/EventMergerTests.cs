using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Updating;
using Tracker.Events.Validation;
using Xunit;
using Type = Tracker.Api.V1Alpha1.Type;

namespace Tracker.Events.Tests.Updating;

public sealed class EventMergerTests
{
    private static readonly Timestamp Start = Timestamp.FromDateTimeOffset(new DateTimeOffset(2024, 1, 15, 10, 0, 0, TimeSpan.Zero));
    private static readonly Timestamp End = Timestamp.FromDateTimeOffset(new DateTimeOffset(2024, 1, 15, 10, 5, 0, TimeSpan.Zero));

    private readonly EventMerger _merger = new();

    [Fact]
    public void Merge_NoMask_SetFieldsReplaceAndOthersStay()
    {
        var current = Stored();
        var request = new UpdateEventRequest
        {
            Id = current.Id,
            Attributes = new EventAttributes { Status = Status.Success, EndDate = End },
        };

        var merged = _merger.Merge(current, request);

        var expected = current.Clone();
        expected.Attributes.Status = Status.Success;
        expected.Attributes.EndDate = End;
        Assert.Equal(expected, merged);
    }

    [Fact]
    public void Merge_NoMaskSeedUpdate_KeepsTypeServiceAndOtherFields()
    {
        var current = Stored();
        var request = new UpdateEventRequest
        {
            Id = current.Id,
            Title = current.Title,
            Attributes = new EventAttributes { Status = Status.Success, EndDate = End },
        };

        var merged = _merger.Merge(current, request);

        Assert.Equal(Type.Deployment, merged.Attributes.Type);
        Assert.Equal("user-service", merged.Attributes.Service);
        Assert.Equal("platform-team", merged.Attributes.Owner);
        Assert.Equal(Status.Success, merged.Attributes.Status);
    }

    [Fact]
    public void Merge_NoMaskOptionalFieldsSetToTheirDefaults_AreSet()
    {
        var current = Stored();
        current.Attributes.Notification = true;
        current.Attributes.Code = 42;
        var request = new UpdateEventRequest
        {
            Id = current.Id,
            Attributes = new EventAttributes { Notification = false, Code = 0, Message = "" },
        };

        var merged = _merger.Merge(current, request);

        Assert.False(merged.Attributes.Notification);
        Assert.True(merged.Attributes.HasNotification);
        Assert.Equal(0, merged.Attributes.Code);
        Assert.Equal("", merged.Attributes.Message);
        Assert.Equal("user-service", merged.Attributes.Service);
    }

    [Fact]
    public void Merge_NoMaskTitlePresentButEmpty_SetsItForValidationToRefuse()
    {
        var current = Stored();

        var merged = _merger.Merge(current, new UpdateEventRequest { Id = current.Id, Title = "" });

        Assert.Equal("", merged.Title);
    }

    [Fact]
    public void Merge_MaskPathOfAnUnsetOptionalField_ClearsIt()
    {
        var current = Stored();
        var request = new UpdateEventRequest { Id = current.Id, UpdateMask = new FieldMask { Paths = { "attributes.owner", "links.ticket" } } };

        var merged = _merger.Merge(current, request);

        Assert.False(merged.Attributes.HasOwner);
        Assert.False(merged.Links.HasTicket);
        Assert.Equal(current.Links.PullRequestLink, merged.Links.PullRequestLink);
    }

    [Fact]
    public void Merge_NoMaskEmptyRequest_ChangesNothing()
    {
        var current = Stored();

        Assert.Equal(current, _merger.Merge(current, new UpdateEventRequest { Id = current.Id, Attributes = new(), Links = new() }));
    }

    [Fact]
    public void Merge_NoMaskListAndMap_ReplacedWhole()
    {
        var current = Stored();
        var request = new UpdateEventRequest { Id = current.Id, Attributes = new EventAttributes() };
        request.Attributes.StakeHolders.Add("security-team");
        request.Attributes.Labels.Add("tier", "2");

        var merged = _merger.Merge(current, request);

        Assert.Equal(["security-team"], merged.Attributes.StakeHolders);
        Assert.Equal(new Dictionary<string, string> { ["tier"] = "2" }, merged.Attributes.Labels);
    }

    [Fact]
    public void Merge_NoMaskLinksOnEventWithout_CreatesLinks()
    {
        var current = Stored();
        current.Links = null;

        var merged = _merger.Merge(current, new UpdateEventRequest { Links = new EventLinks { Ticket = "INC-1" } });

        Assert.Equal("INC-1", merged.Links.Ticket);
    }

    [Fact]
    public void Merge_MaskWithLeafPath_ChangesOnlyThatField()
    {
        var current = Stored();
        var request = new UpdateEventRequest
        {
            Id = current.Id,
            Title = "ignored, not in the mask",
            Attributes = new EventAttributes { Status = Status.Failure, Owner = "ignored" },
            UpdateMask = Mask("attributes.status"),
        };

        var merged = _merger.Merge(current, request);

        var expected = current.Clone();
        expected.Attributes.Status = Status.Failure;
        Assert.Equal(expected, merged);
    }

    [Fact]
    public void Merge_MaskPathWithUnsetValue_ClearsTheField()
    {
        var current = Stored();
        var request = new UpdateEventRequest
        {
            Id = current.Id,
            UpdateMask = Mask("attributes.owner", "attributes.start_date", "attributes.labels", "attributes.stake_holders", "links.ticket"),
        };

        var merged = _merger.Merge(current, request);

        Assert.Equal(string.Empty, merged.Attributes.Owner);
        Assert.Null(merged.Attributes.StartDate);
        Assert.Empty(merged.Attributes.Labels);
        Assert.Empty(merged.Attributes.StakeHolders);
        Assert.Equal(string.Empty, merged.Links.Ticket);
        Assert.Equal(current.Links.PullRequestLink, merged.Links.PullRequestLink);
    }

    [Fact]
    public void Merge_MaskArguments_ReplacesTheListAndLeavesTheRest()
    {
        var current = Stored();
        current.Attributes.Arguments.Add(["vm1", "vm2"]);
        var request = new UpdateEventRequest
        {
            Id = current.Id,
            Attributes = new EventAttributes { Arguments = { "vm3" }, Owner = "ignored" },
            UpdateMask = Mask("attributes.arguments"),
        };

        var merged = _merger.Merge(current, request);

        var expected = current.Clone();
        expected.Attributes.Arguments.Clear();
        expected.Attributes.Arguments.Add("vm3");
        Assert.Equal(expected, merged);
        Assert.Empty(_merger.Merge(current, new UpdateEventRequest { Id = current.Id, UpdateMask = Mask("attributes.arguments") }).Attributes.Arguments);
    }

    [Fact]
    public void Merge_NoMaskWithArguments_ReplacesTheList()
    {
        var current = Stored();
        current.Attributes.Arguments.Add("vm1");

        var merged = _merger.Merge(current, new UpdateEventRequest { Id = current.Id, Attributes = new EventAttributes { Arguments = { "vm2", "vm3" } } });

        Assert.Equal(["vm2", "vm3"], merged.Attributes.Arguments);
        Assert.Equal(current.Attributes.Owner, merged.Attributes.Owner);
    }

    [Fact]
    public void Merge_MaskTitle_ReplacesTitleEvenWhenEmpty()
    {
        var current = Stored();

        Assert.Equal("new title", _merger.Merge(current, new UpdateEventRequest { Title = "new title", UpdateMask = Mask("title") }).Title);
        Assert.Equal(string.Empty, _merger.Merge(current, new UpdateEventRequest { UpdateMask = Mask("title") }).Title);
    }

    [Fact]
    public void Merge_MaskWholeAttributes_MergesTheSetFields()
    {
        var current = Stored();
        var request = new UpdateEventRequest
        {
            Attributes = new EventAttributes { Status = Status.Done },
            UpdateMask = Mask("attributes"),
        };

        var merged = _merger.Merge(current, request);

        var expected = current.Clone();
        expected.Attributes.Status = Status.Done;
        Assert.Equal(expected, merged);
    }

    [Fact]
    public void Merge_MaskWholeLinksUnset_ClearsLinks()
    {
        var current = Stored();

        Assert.Null(_merger.Merge(current, new UpdateEventRequest { UpdateMask = Mask("links") }).Links);
    }

    [Fact]
    public void Merge_MaskWithJsonNames_Accepted()
    {
        var current = Stored();
        var request = new UpdateEventRequest
        {
            Attributes = new EventAttributes { EndDate = End },
            Links = new EventLinks { PullRequestLink = "https://example.com/pr/2" },
            UpdateMask = Mask("attributes.endDate", "links.pullRequestLink"),
        };

        var merged = _merger.Merge(current, request);

        Assert.Equal(End, merged.Attributes.EndDate);
        Assert.Equal("https://example.com/pr/2", merged.Links.PullRequestLink);
    }

    [Fact]
    public void Merge_MaskNamingIdEtagAndMask_IgnoresThem()
    {
        var current = Stored();
        var request = new UpdateEventRequest
        {
            Id = "another-id",
            Etag = "another-etag",
            Attributes = new EventAttributes { Status = Status.Close },
            UpdateMask = Mask("id", "etag", "update_mask", "attributes.status"),
        };
        var violations = new Violations();

        _merger.CheckMask(request, violations);
        var merged = _merger.Merge(current, request);

        Assert.False(violations.Any);
        Assert.Equal(current.Id, merged.Id);
        Assert.Equal(current.Etag, merged.Etag);
        Assert.Equal(Status.Close, merged.Attributes.Status);
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("attributes.nope")]
    [InlineData("links.nope")]
    [InlineData("title.length")]
    [InlineData("attributes.start_date.seconds")]
    [InlineData("attributes.")]
    [InlineData("")]
    public void CheckMask_UnknownPath_ViolatesUpdateMask(string path)
    {
        var violations = new Violations();

        _merger.CheckMask(new UpdateEventRequest { UpdateMask = Mask("title", path) }, violations);

        var violation = Assert.Single(violations.Items);
        Assert.Equal("update_mask", violation.Field);
        Assert.Contains("updatable", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_Result_SharesNoMessageWithTheRequest()
    {
        var current = Stored();
        var request = new UpdateEventRequest { Attributes = new EventAttributes { StartDate = Start.Clone() } };
        request.Attributes.Resources.Add(new ResourceRef { Kind = "Pod", Name = "a" });

        var merged = _merger.Merge(current, request);
        request.Attributes.StartDate.Seconds += 60;
        request.Attributes.Resources[0].Name = "changed";

        Assert.Equal(Start, merged.Attributes.StartDate);
        Assert.Equal("a", merged.Attributes.Resources[0].Name);
    }

    [Fact]
    public void Merge_Always_LeavesTheStoredEventUnchanged()
    {
        var current = Stored();
        var before = current.Clone();

        _merger.Merge(current, new UpdateEventRequest { Title = "x", Attributes = new EventAttributes { Owner = "y" }, UpdateMask = Mask("title", "attributes.owner") });
        _merger.Merge(current, new UpdateEventRequest { Title = "x", Attributes = new EventAttributes { Owner = "y" } });

        Assert.Equal(before, current);
    }

    private static FieldMask Mask(params string[] paths)
    {
        var mask = new FieldMask();
        mask.Paths.Add(paths);
        return mask;
    }

    private static Event Stored()
    {
        var e = new Event
        {
            Id = Guid.CreateVersion7().ToString(),
            Title = "Deploy user-service v2.1.0",
            Etag = "etag-1",
            CreatedAt = Start,
            UpdatedAt = Start,
            Attributes = new EventAttributes
            {
                Type = Type.Deployment,
                Service = "user-service",
                Status = Status.Start,
                Owner = "platform-team",
                StartDate = Start,
                Priority = Priority.P2,
            },
            Links = new EventLinks { PullRequestLink = "https://github.com/org/repo/pull/1", Ticket = "PROJ-1" },
        };
        e.Attributes.StakeHolders.Add(["backend-team", "ops-team"]);
        e.Attributes.Labels.Add("team", "core");
        return e;
    }
}
