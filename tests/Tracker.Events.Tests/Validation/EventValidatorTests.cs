using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Validation;
using Xunit;
using Type = Tracker.Api.V1Alpha1.Type;

namespace Tracker.Events.Tests.Validation;

public sealed class EventValidatorTests
{
    private static readonly DateTimeOffset Start = new(2024, 1, 15, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Validate_MinimalEvent_NoViolations()
    {
        Assert.Empty(Violated(Valid()));
    }

    [Fact]
    public void Validate_SeedCompleteEvent_NoViolations()
    {
        var e = Valid(a =>
        {
            a.Message = "Deployed via GitHub Actions";
            a.Source = "github_actions";
            a.Priority = Priority.P2;
            a.Status = Status.Success;
            a.Environment = Api.V1Alpha1.Environment.Production;
            a.Impact = Impact.Medium;
            a.StartDate = Timestamp.FromDateTimeOffset(Start);
            a.EndDate = Timestamp.FromDateTimeOffset(Start.AddMinutes(5));
            a.Owner = "platform-team";
            a.StakeHolders.Add(["backend-team", "ops-team"]);
            a.Notification = true;
            a.Notifications.Add(["slack", "email"]);
        });
        e.Links = new EventLinks { PullRequestLink = "https://github.com/org/repo/pull/123", Ticket = "PROJ-456" };

        Assert.Empty(Violated(e));
    }

    [Fact]
    public void Validate_NulInAnyText_ViolatesEachFieldByItsPath()
    {
        var e = Valid(a =>
        {
            a.Message = "a\0b";
            a.StakeHolders.Add(["ops", "o\0ps"]);
            a.Resources.Add(new ResourceRef { Kind = "Pod", Name = "api\0" });
            a.Labels.Add("team", "\0");
        });
        e.Title = "Deploy\0";
        e.Links = new EventLinks { Ticket = "PROJ-\0" };

        Assert.Equal(
            ["title", "attributes.message", "attributes.stake_holders[1]", "attributes.resources[0].name", "attributes.labels[\"team\"]", "links.ticket"],
            Violated(e));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Validate_TitleMissing_ViolatesTitle(string title)
    {
        var e = Valid();
        e.Title = title;

        Assert.Equal(["title"], Violated(e));
    }

    [Fact]
    public void Validate_TitleLengths_500AllowedAnd501Violates()
    {
        var e = Valid();
        e.Title = new string('t', 500);
        Assert.Empty(Violated(e));

        e.Title = new string('t', 501);
        Assert.Equal(["title"], Violated(e));
    }

    [Fact]
    public void Validate_TitleOf500Emoji_CountsCharactersNotUtf16Units()
    {
        var e = Valid();
        e.Title = string.Concat(Enumerable.Repeat("🚀", 500));

        Assert.Empty(Violated(e));
    }

    [Fact]
    public void Validate_NoAttributes_ViolatesTypeAndService()
    {
        var e = Valid();
        e.Attributes = null;

        Assert.Equal(["attributes.type", "attributes.service"], Violated(e));
    }

    [Fact]
    public void Validate_TypeUnspecified_ViolatesType()
    {
        Assert.Equal(["attributes.type"], Violated(Valid(a => a.Type = Type.Unspecified)));
    }

    [Theory]
    [InlineData("attributes.type")]
    [InlineData("attributes.priority")]
    [InlineData("attributes.status")]
    [InlineData("attributes.environment")]
    [InlineData("attributes.impact")]
    [InlineData("attributes.severity")]
    public void Validate_UndefinedEnumNumber_ViolatesThatField(string field)
    {
        var e = Valid(a =>
        {
            switch (field)
            {
                case "attributes.type": a.Type = (Type)6; break;
                case "attributes.priority": a.Priority = (Priority)6; break;
                case "attributes.status": a.Status = (Status)13; break;
                case "attributes.environment": a.Environment = (Api.V1Alpha1.Environment)9; break;
                case "attributes.impact": a.Impact = (Impact)4; break;
                case "attributes.severity": a.Severity = (Severity)(-1); break;
            }
        });

        Assert.Equal([field], Violated(e));
    }

    [Fact]
    public void Validate_ReservedStatusNumber2_Violates()
    {
        Assert.Equal(["attributes.status"], Violated(Valid(a => a.Status = (Status)2)));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Validate_ServiceMissing_ViolatesService(string service)
    {
        Assert.Equal(["attributes.service"], Violated(Valid(a => a.Service = service)));
    }

    [Theory]
    [InlineData("attributes.service")]
    [InlineData("attributes.source")]
    [InlineData("attributes.owner")]
    [InlineData("attributes.reason")]
    [InlineData("links.ticket")]
    public void Validate_ShortTextOf129Chars_ViolatesThatField(string field)
    {
        var text = new string('x', 129);
        var e = Valid(a =>
        {
            switch (field)
            {
                case "attributes.service": a.Service = text; break;
                case "attributes.source": a.Source = text; break;
                case "attributes.owner": a.Owner = text; break;
                case "attributes.reason": a.Reason = text; break;
            }
        });
        e.Links = new EventLinks { Ticket = field == "links.ticket" ? text : new string('x', 128) };

        Assert.Equal([field], Violated(e));
    }

    [Fact]
    public void Validate_MessageOf16KiB_Allowed()
    {
        Assert.Empty(Violated(Valid(a => a.Message = new string('m', 16 * 1024))));
    }

    [Fact]
    public void Validate_MessageOverSixteenKiBInUtf8_ViolatesMessage()
    {
        // 5462 euro signs are 16386 bytes in UTF-8 but only 5462 characters.
        Assert.Equal(["attributes.message"], Violated(Valid(a => a.Message = new string('€', 5462))));
        Assert.Equal(["attributes.message"], Violated(Valid(a => a.Message = new string('m', (16 * 1024) + 1))));
    }

    [Theory]
    [InlineData("stake_holders")]
    [InlineData("notifications")]
    [InlineData("arguments")]
    public void Validate_TextListRules_ViolateListOrItemPath(string name)
    {
        Assert.Empty(Violated(Valid(a => List(a, name).Add(Enumerable.Repeat(new string('x', 128), 64)))));
        Assert.Equal([$"attributes.{name}"], Violated(Valid(a => List(a, name).Add(Enumerable.Repeat("x", 65)))));
        Assert.Equal([$"attributes.{name}[1]"], Violated(Valid(a => List(a, name).Add(["ok", ""]))));
        Assert.Equal([$"attributes.{name}[0]"], Violated(Valid(a => List(a, name).Add(new string('x', 129)))));
    }

    [Fact]
    public void Validate_ResourceRules_ViolateListOrItemFieldPath()
    {
        var ok = new ResourceRef { Kind = new string('k', 128), Id = new string('i', 256), Name = new string('n', 256), Namespace = new string('s', 256) };
        Assert.Empty(Violated(Valid(a => a.Resources.Add(Enumerable.Repeat(ok, 64)))));
        Assert.Equal(["attributes.resources"], Violated(Valid(a => a.Resources.Add(Enumerable.Repeat(ok, 65)))));
        Assert.Equal(["attributes.resources[0].kind"], Violated(Valid(a => a.Resources.Add(new ResourceRef { Kind = new string('k', 129) }))));
        Assert.Equal(["attributes.resources[0].id"], Violated(Valid(a => a.Resources.Add(new ResourceRef { Id = new string('i', 257) }))));
        Assert.Equal(["attributes.resources[0].name"], Violated(Valid(a => a.Resources.Add(new ResourceRef { Name = new string('n', 257) }))));
        Assert.Equal(["attributes.resources[1].namespace"], Violated(Valid(a => a.Resources.Add([ok, new ResourceRef { Namespace = new string('s', 257) }]))));
        Assert.Equal(["attributes.resources[0]"], Violated(Valid(a => a.Resources.Add(new ResourceRef()))));
    }

    [Fact]
    public void Validate_LabelsWithinLimits_NoViolations()
    {
        var e = Valid(a =>
        {
            for (var i = 0; i < 63; i++)
            {
                a.Labels.Add($"key-{i}", "v");
            }

            a.Labels.Add("app.kubernetes.io/Name_x" + new string('k', 63 - 24), new string('v', 256));
        });

        Assert.Empty(Violated(e));
    }

    [Fact]
    public void Validate_65Labels_ViolatesLabels()
    {
        var e = Valid(a =>
        {
            for (var i = 0; i < 65; i++)
            {
                a.Labels.Add($"key-{i}", "v");
            }
        });

        Assert.Equal(["attributes.labels"], Violated(e));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("équipe")]
    [InlineData("a:b")]
    public void Validate_LabelKeyWithBadCharacters_ViolatesThatLabel(string key)
    {
        Assert.Equal([$"attributes.labels[\"{key}\"]"], Violated(Valid(a => a.Labels.Add(key, "v"))));
    }

    [Fact]
    public void Validate_LabelKeyOf64CharsOrValueOf257_ViolatesThatLabel()
    {
        var longKey = new string('k', 64);
        Assert.Equal([$"attributes.labels[\"{longKey}\"]"], Violated(Valid(a => a.Labels.Add(longKey, "v"))));
        Assert.Equal(["attributes.labels[\"team\"]"], Violated(Valid(a => a.Labels.Add("team", new string('v', 257)))));
    }

    [Theory]
    [InlineData("")]
    [InlineData("https://github.com/org/repo/pull/123")]
    [InlineData("http://gitlab.internal:8443/group/project/-/merge_requests/7")]
    public void Validate_PullRequestLinkEmptyOrHttpUrl_Allowed(string link)
    {
        var e = Valid();
        e.Links = new EventLinks { PullRequestLink = link };

        Assert.Empty(Violated(e));
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("github.com/org/repo/pull/1")]
    [InlineData("/org/repo/pull/1")]
    [InlineData("ftp://example.com/pr/1")]
    [InlineData("javascript:alert(1)")]
    [InlineData("https://")]
    [InlineData("https://example.com/a b")]
    public void Validate_PullRequestLinkNotAnHttpUrl_ViolatesLink(string link)
    {
        var e = Valid();
        e.Links = new EventLinks { PullRequestLink = link };

        Assert.Equal(["links.pull_request_link"], Violated(e));
    }

    [Fact]
    public void Validate_PullRequestLinkOver2048Chars_ViolatesLink()
    {
        var e = Valid();
        e.Links = new EventLinks { PullRequestLink = "https://example.com/" + new string('p', 2048 - 20) };
        Assert.Empty(Violated(e));

        e.Links.PullRequestLink += "p";
        Assert.Equal(["links.pull_request_link"], Violated(e));
    }

    [Fact]
    public void Validate_EndBeforeStart_ViolatesEndDate()
    {
        var e = Valid(a =>
        {
            a.StartDate = Timestamp.FromDateTimeOffset(Start);
            a.EndDate = Timestamp.FromDateTimeOffset(Start.AddTicks(-10));
        });

        Assert.Equal(["attributes.end_date"], Violated(e));
    }

    [Fact]
    public void Validate_DurationLongerThanJsonCanWrite_ViolatesEndDate()
    {
        var longest = Valid(a => (a.StartDate, a.EndDate) = (new Timestamp { Seconds = 0 }, new Timestamp { Seconds = 253_402_300_799 }));
        var longer = Valid(a => (a.StartDate, a.EndDate) = (new Timestamp { Seconds = -62_135_596_800 }, new Timestamp { Seconds = 253_402_300_799 }));

        Assert.Empty(Violated(longest));
        Assert.Equal(["attributes.end_date"], Violated(longer));
    }

    [Fact]
    public void Validate_EndEqualsStartOrOnlyOneSet_Allowed()
    {
        Assert.Empty(Violated(Valid(a => (a.StartDate, a.EndDate) = (Timestamp.FromDateTimeOffset(Start), Timestamp.FromDateTimeOffset(Start)))));
        Assert.Empty(Violated(Valid(a => a.EndDate = Timestamp.FromDateTimeOffset(Start))));
        Assert.Empty(Violated(Valid(a => a.StartDate = Timestamp.FromDateTimeOffset(Start))));
    }

    [Theory]
    [InlineData(253_402_300_800, 0)]
    [InlineData(-62_135_596_801, 0)]
    [InlineData(0, -1)]
    [InlineData(0, 1_000_000_000)]
    public void Validate_TimestampOutOfRange_ViolatesThatDate(long seconds, int nanos)
    {
        Assert.Equal(["attributes.start_date"], Violated(Valid(a => a.StartDate = new Timestamp { Seconds = seconds, Nanos = nanos })));
        Assert.Equal(["attributes.end_date"], Violated(Valid(a => a.EndDate = new Timestamp { Seconds = seconds, Nanos = nanos })));
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsEveryField()
    {
        var e = Valid(a =>
        {
            a.Service = new string('s', 200);
            a.Priority = (Priority)99;
        });
        e.Title = "";
        e.Links = new EventLinks { PullRequestLink = "nope" };

        Assert.Equal(["title", "attributes.priority", "attributes.service", "links.pull_request_link"], Violated(e));
    }

    [Fact]
    public void Validate_ThousandsOfBadItems_CapsTheListAndCountsTheRest()
    {
        var e = Valid(a => a.StakeHolders.Add(Enumerable.Repeat("", 1000)));
        var violations = new Violations();

        new EventValidator().Validate(e, violations);

        Assert.Equal(Violations.MaxItems, violations.Items.Count);
        Assert.Equal(1001 - Violations.MaxItems, violations.Omitted);
    }

    private static Google.Protobuf.Collections.RepeatedField<string> List(EventAttributes a, string name) =>
        name switch
        {
            "stake_holders" => a.StakeHolders,
            "arguments" => a.Arguments,
            _ => a.Notifications,
        };

    private static Event Valid(Action<EventAttributes>? configure = null)
    {
        var e = new Event
        {
            Title = "Deploy user-service v2.1.0 to production",
            Attributes = new EventAttributes { Type = Type.Deployment, Service = "user-service" },
        };
        configure?.Invoke(e.Attributes);
        return e;
    }

    private static string[] Violated(Event e)
    {
        var violations = new Violations();
        new EventValidator().Validate(e, violations);
        Assert.All(violations.Items, v => Assert.False(string.IsNullOrEmpty(v.Description)));
        Assert.All(violations.Items, v => Assert.False(string.IsNullOrEmpty(v.Reason)));
        return violations.Items.Select(v => v.Field).ToArray();
    }
}
