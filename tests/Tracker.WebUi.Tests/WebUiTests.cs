using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Google.Protobuf.Reflection;
using Microsoft.Playwright;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;
using static Microsoft.Playwright.Assertions;

namespace Tracker.WebUi.Tests;

/// <summary>
/// The web UI (README, "Web UI") in Debian's chromium against the real server: each view, the filters and
/// their URL, paging, the form with the server's validation errors, live updates, and that an
/// event's HTML is shown as text. Each test works in a service of its own, so the tests share one
/// server; each saves a screenshot (see <see cref="UiPage.ScreenshotDirectory"/>).
/// </summary>
public sealed class WebUiTests(OpenServerFixture fixture) : IClassFixture<OpenServerFixture>
{
    private static string NewService() => "svc-" + Guid.NewGuid().ToString("N")[..10];

    private static string Shot([CallerMemberName] string name = "") => name;

    private static object Event(string title, string service, string type = "TYPE_DEPLOYMENT", string? start = null, object? extra = null)
    {
        var attributes = new JsonObject { ["type"] = type, ["service"] = service };
        if (start is not null)
        {
            attributes["startDate"] = start;
        }

        if (extra is not null)
        {
            foreach (var (key, value) in JsonSerializer.SerializeToNode(extra, JsonSerializerOptions.Web)!.AsObject())
            {
                attributes[key] = value?.DeepClone();
            }
        }

        return new JsonObject { ["title"] = title, ["attributes"] = attributes };
    }

    private ILocator Titles(UiPage ui) => ui.Page.Locator("li.event .event-title");

    // What the limiter answers a REST call when the server is busy: 429 with a google.rpc.Status.
    private static readonly RouteFulfillOptions BusyServer = new()
    {
        Status = 429,
        ContentType = "application/json",
        Headers = new Dictionary<string, string> { ["Retry-After"] = "1" },
        Body = """{"code":8,"message":"Too many requests: try again in 1 s."}""",
    };

    [Fact]
    public async Task Timeline_EventsCreatedThroughTheApi_ShowsThemNewestFirstGroupedByLocalDay()
    {
        var service = NewService();
        await fixture.CreateEventAsync(Event("Deploy checkout v1", service, start: "2026-01-10T12:00:00Z", extra: new
        {
            status = "STATUS_SUCCESS",
            environment = "ENVIRONMENT_PRODUCTION",
            priority = "PRIORITY_P2",
            owner = "team-checkout",
            endDate = "2026-01-10T12:07:00Z",
        }));
        await fixture.CreateEventAsync(Event("Config drift on db", service, "TYPE_DRIFT", "2026-01-11T23:30:00Z"));
        await fixture.CreateEventAsync(Event("Checkout errors", service, "TYPE_INCIDENT", "2026-01-12T09:00:00Z", new { status = "STATUS_OPEN" }));
        await fixture.CreateEventAsync(Event("Restart workers", service, "TYPE_OPERATION", DateTimeOffset.UtcNow.AddMinutes(-12).ToString("O")));

        await using var ui = await fixture.OpenAsync(timeZone: "Europe/Paris");
        await ui.GotoAsync($"/?service={service}");

        await Expect(Titles(ui)).ToHaveTextAsync(["Restart workers", "Checkout errors", "Config drift on db", "Deploy checkout v1"]);
        // 23:30 UTC on the 11th is 00:30 on the 12th in Paris: the day of the browser's zone.
        var days = ui.Page.Locator("section.day h2");
        await Expect(days).ToHaveCountAsync(3);
        await Expect(days.Nth(1)).ToContainTextAsync("12 January 2026");
        await Expect(days.Nth(2)).ToContainTextAsync("10 January 2026");
        await Expect(ui.Page.Locator("section.day").Nth(1).Locator("li.event")).ToHaveCountAsync(2);

        var deploy = ui.Page.Locator("li.event", new() { HasText = "Deploy checkout v1" });
        await Expect(deploy.Locator(".type-chip")).ToHaveTextAsync(new Regex("Deployment"));
        await Expect(deploy.Locator(".badge")).ToHaveTextAsync("Success");
        foreach (var text in new[] { service, "Production", "P2", "team-checkout", "7 min" })
        {
            await Expect(deploy.Locator(".facts")).ToContainTextAsync(text);
        }

        // Local time shown (13:00 in Paris), UTC on hover.
        await Expect(deploy.Locator("time.clock")).ToHaveTextAsync("13:00");
        await Expect(deploy.Locator("time.clock")).ToHaveAttributeAsync("title", "2026-01-10 12:00:00 UTC");
        var restart = ui.Page.Locator("li.event", new() { HasText = "Restart workers" });
        await Expect(restart.Locator("time.relative")).ToHaveTextAsync(new Regex("^1[12] minutes ago$"));
        await Expect(ui.Page.Locator(".summary")).ToHaveTextAsync("Showing 4 of 4 events matching the filters.");

        await ui.ScreenshotAsync(Shot());
        ui.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Filters_EachFilter_NarrowsTheListAndRoundTripsThroughTheUrl()
    {
        var service = NewService();
        await fixture.CreateEventAsync(Event("Alpha rollout", service, "TYPE_DEPLOYMENT", "2026-02-01T12:00:00Z", new
        {
            environment = "ENVIRONMENT_PRODUCTION", status = "STATUS_SUCCESS", priority = "PRIORITY_P1", severity = "SEVERITY_NORMAL",
        }));
        await fixture.CreateEventAsync(Event("Beta outage", service, "TYPE_INCIDENT", "2026-02-03T12:00:00Z", new
        {
            environment = "ENVIRONMENT_UAT", status = "STATUS_FAILURE", priority = "PRIORITY_P3", severity = "SEVERITY_ERROR",
            labels = new Dictionary<string, string> { ["team"] = "pay" },
        }));
        await fixture.CreateEventAsync(Event("Gamma maintenance", service, "TYPE_OPERATION", "2026-02-05T12:00:00Z", new
        {
            environment = "ENVIRONMENT_DEVELOPMENT", status = "STATUS_DONE", priority = "PRIORITY_P5", severity = "SEVERITY_WARNING",
        }));
        // Another service's event: the service filter leaves it out.
        await fixture.CreateEventAsync(Event("Alpha rollout elsewhere", NewService(), "TYPE_DEPLOYMENT", "2026-02-01T12:00:00Z"));

        await using var ui = await fixture.OpenAsync();
        var cases = new (string Name, Func<IPage, Task> Set, string Parameter, string[] Expected)[]
        {
            ("type", page => page.GetByLabel("Type").SelectOptionAsync("incident"), "type=incident", ["Beta outage"]),
            ("environment", page => page.GetByLabel("Environment").SelectOptionAsync("production"), "environment=production", ["Alpha rollout"]),
            ("status", page => page.GetByLabel("Status").SelectOptionAsync("done"), "status=done", ["Gamma maintenance"]),
            ("priority", page => page.GetByLabel("Priority").SelectOptionAsync("p3"), "priority=p3", ["Beta outage"]),
            ("severity", page => page.GetByLabel("Severity").SelectOptionAsync("warning"), "severity=warning", ["Gamma maintenance"]),
            ("dates", async page =>
            {
                await page.GetByLabel("From (day)").FillAsync("2026-02-02");
                await page.GetByLabel("To (day)").FillAsync("2026-02-04");
            }, "from=2026-02-02&to=2026-02-04", ["Beta outage"]),
            ("text", page => page.GetByLabel("Words in title or message").FillAsync("rollo"), "q=rollo", ["Alpha rollout"]),
            ("expression", page => page.GetByLabel("Filter expression").FillAsync("labels.team=\"pay\" OR priority<=PRIORITY_P1"), "filter=", ["Beta outage", "Alpha rollout"]),
        };

        await ui.GotoAsync($"/?service={service}");
        await Expect(Titles(ui)).ToHaveTextAsync(["Gamma maintenance", "Beta outage", "Alpha rollout"]);
        foreach (var (name, set, parameter, expected) in cases)
        {
            await ui.GotoAsync($"/?service={service}");
            await set(ui.Page);
            await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
            await ui.WaitReadyAsync();
            await Expect(Titles(ui)).ToHaveTextAsync(expected);
            Assert.Contains(parameter, ui.Page.Url, StringComparison.Ordinal);
            Assert.Contains($"service={service}", ui.Page.Url, StringComparison.Ordinal);
            if (name == "expression")
            {
                await ui.ScreenshotAsync(Shot());
            }

            // The URL alone brings the same view back: a shared link shows what its sender saw.
            var shared = ui.Page.Url;
            await using var other = await fixture.OpenAsync();
            await other.GotoAsync(shared);
            await Expect(Titles(other)).ToHaveTextAsync(expected);
            Assert.Equal(shared, other.Page.Url);
            other.AssertNoConsoleErrors();
        }

        // Back goes to the previous filters.
        await ui.GotoAsync($"/?service={service}");
        await ui.Page.GetByLabel("Type").SelectOptionAsync("drift");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        await Expect(ui.Page.Locator(".summary")).ToHaveTextAsync("No event matches these filters.");
        await ui.Page.GoBackAsync();
        await Expect(Titles(ui)).ToHaveCountAsync(3);
        await Expect(ui.Page.GetByLabel("Type")).ToHaveValueAsync("");

        // A day that is not in the calendar narrows nothing, rather than rolling over into 2027-02-14.
        await ui.GotoAsync($"/?service={service}&from=2026-13-45");
        await Expect(Titles(ui)).ToHaveTextAsync(["Gamma maintenance", "Beta outage", "Alpha rollout"]);
        ui.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Filters_LinkWithAnUpperCaseTypeAndADayNotInTheCalendar_ShowsWhatItFilters()
    {
        var service = NewService();
        await fixture.CreateEventAsync(Event("An incident", service, "TYPE_INCIDENT", start: "2026-02-10T10:00:00Z"));
        await fixture.CreateEventAsync(Event("A deployment", service, start: "2026-02-11T10:00:00Z"));
        await fixture.CreateEventAsync(Event("In the year 999", service, "TYPE_INCIDENT", start: "0999-06-01T10:00:00Z"));
        await using var ui = await fixture.OpenAsync();

        await ui.GotoAsync($"/?service={service}&type=INCIDENT&from=2026-02-31");

        await Expect(Titles(ui)).ToHaveTextAsync(["An incident", "In the year 999"]);
        await Expect(ui.Page.Locator("#f-type")).ToHaveValueAsync("incident");
        await Expect(ui.Page.Locator("#f-from")).ToHaveValueAsync(string.Empty);
        await Expect(ui.Page.Locator(".filters-box > summary")).ToHaveTextAsync("Filters (2 active)");
        ui.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Filters_InvalidExpression_ShowsTheServersReasonUnderTheField()
    {
        var service = NewService();
        await fixture.CreateEventAsync(Event("Anything", service));
        await using var ui = await fixture.OpenAsync();
        await ui.GotoAsync($"/?service={service}&type=deployment&filter=" + Uri.EscapeDataString("owner="));

        var error = ui.Page.Locator("#f-filter-error");
        // The column is that of the person's own text, although the type and service were ANDed to it.
        await Expect(error).ToHaveTextAsync("The filter expression is not valid: at column 7: expected a value after \"=\", found the end of the filter");
        await Expect(ui.Page.GetByLabel("Filter expression")).ToHaveAttributeAsync("aria-invalid", "true");
        await ui.ScreenshotAsync(Shot());
        ui.AssertNoConsoleErrors(400);
    }

    [Fact]
    public async Task Today_InTheBrowsersTimeZone_ShowsOnlyTheEventsOfItsDay()
    {
        var service = NewService();
        // UTC+14: its day is not UTC's, so the time zone sent decides which events are today's.
        const string zoneId = "Pacific/Kiritimati";
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var localNow = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone);
        var midnight = new DateTimeOffset(localNow.Date, localNow.Offset);
        await fixture.CreateEventAsync(Event("Early today there", service, start: midnight.AddMinutes(1).ToString("O")));
        await fixture.CreateEventAsync(Event("Late yesterday there", service, start: midnight.AddMinutes(-1).ToString("O")));

        await using var ui = await fixture.OpenAsync(timeZone: zoneId);
        await ui.GotoAsync($"/?view=today&service={service}");

        await Expect(Titles(ui)).ToHaveTextAsync(["Early today there"]);
        await Expect(ui.Page.Locator(".view-head")).ToContainTextAsync(zoneId);
        await Expect(ui.Page.Locator("nav a[aria-current=page]")).ToHaveTextAsync("Today");
        await ui.ScreenshotAsync(Shot());
        ui.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Timeline_OpenOverTheBrowsersMidnight_MovesItsTodayHeadingToYesterday()
    {
        var service = NewService();
        await fixture.CreateEventAsync(Event("Late on the 10th", service, start: "2026-03-10T21:00:00Z"));
        await using var ui = await fixture.OpenAsync(timeZone: "Europe/Paris");
        // The page's clock (not the server's): 23:59 in Paris on 10 March.
        await ui.Page.Clock.InstallAsync(new ClockInstallOptions { Time = "2026-03-10T22:59:00Z" });
        await ui.GotoAsync($"/?service={service}");
        var heading = ui.Page.Locator("section.day h2");
        await Expect(heading).ToHaveTextAsync(new Regex("^Today, "));

        await ui.Page.Clock.RunForAsync(120_000);

        await Expect(heading).ToHaveTextAsync(new Regex("^Yesterday, "));
        ui.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Detail_EventWithLinksLabelsRelatedEventsAndAnUpdate_ShowsThemAll()
    {
        var service = NewService();
        var parent = await fixture.CreateEventAsync(new JsonObject
        {
            ["title"] = "Deploy api v2",
            ["attributes"] = new JsonObject
            {
                ["type"] = "TYPE_DEPLOYMENT",
                ["service"] = service,
                ["status"] = "STATUS_IN_PROGRESS",
                ["message"] = "Rolling out v2\nto every region.",
                ["owner"] = "team-api",
                ["stakeHolders"] = new JsonArray("team-web", "team-mobile"),
                ["labels"] = new JsonObject { ["version"] = "2.0.1" },
                ["resources"] = new JsonArray(new JsonObject { ["kind"] = "Pod", ["id"] = "p-1", ["name"] = "api-7f9c", ["namespace"] = "prod" }),
            },
            ["links"] = new JsonObject { ["pullRequestLink"] = "https://example.com/org/api/pull/7", ["ticket"] = "OPS-7" },
        });
        var id = parent.GetProperty("id").GetString()!;
        var child = await fixture.CreateEventAsync(Event("Rollback api v2", service, extra: new { relatedId = id }));
        await fixture.UpdateEventAsync(new JsonObject { ["id"] = id, ["attributes"] = new JsonObject { ["status"] = "STATUS_FAILURE" } });

        await using var ui = await fixture.OpenAsync();
        await ui.GotoAsync($"/?event={id}");

        await Expect(ui.Page.Locator("h1")).ToHaveTextAsync("Deploy api v2");
        await Expect(ui.Page.Locator(".message-text")).ToHaveTextAsync("Rolling out v2\nto every region.");
        var fields = ui.Page.Locator("dl.fields");
        foreach (var text in new[] { service, "team-api", "team-web, team-mobile", "OPS-7", id })
        {
            await Expect(fields).ToContainTextAsync(text);
        }

        await Expect(ui.Page.GetByRole(AriaRole.Link, new() { Name = "https://example.com/org/api/pull/7" })).ToHaveAttributeAsync("href", "https://example.com/org/api/pull/7");
        await Expect(ui.Page.Locator("table").First).ToContainTextAsync("version2.0.1");
        await Expect(ui.Page.Locator("table").Nth(1)).ToContainTextAsync("api-7f9c");
        await Expect(ui.Page.Locator(".followers .event-title")).ToHaveTextAsync(["Rollback api v2"]);
        // The change history: recorded, then the update with its new status.
        var history = ui.Page.Locator("ol.history > li");
        await Expect(history).ToHaveCountAsync(2);
        await Expect(history.Nth(0)).ToContainTextAsync("Recorded");
        await Expect(history.Nth(1)).ToContainTextAsync("Updated");
        await Expect(history.Nth(1)).ToContainTextAsync("Status Failure");
        await Expect(ui.Page.Locator(".badges .badge")).ToHaveTextAsync("Failure");
        await ui.ScreenshotAsync(Shot());

        // A second update arrives live, told as its difference from the first.
        await fixture.UpdateEventAsync(new JsonObject { ["id"] = id, ["attributes"] = new JsonObject { ["status"] = "STATUS_SUCCESS" } });
        await Expect(history).ToHaveCountAsync(3);
        await Expect(history.Nth(2)).ToContainTextAsync("Failure → Success");
        await Expect(ui.Page.Locator(".badges .badge")).ToHaveTextAsync("Success");

        // The related event links back.
        await ui.Page.Locator(".followers .event-title").ClickAsync();
        await ui.WaitReadyAsync();
        await Expect(ui.Page.Locator("h1")).ToHaveTextAsync("Rollback api v2");
        Assert.EndsWith($"/?event={child.GetProperty("id").GetString()}", ui.Page.Url, StringComparison.Ordinal);
        await Expect(ui.Page.Locator(".follows .event-title")).ToHaveTextAsync("Deploy api v2");
        await Expect(ui.Page.Locator("ol.history")).ToContainTextAsync("Recorded");
        await Expect(ui.Page.Locator(".changes .hint")).ToHaveTextAsync("Not changed since it was recorded.");
        await ui.ScreenshotAsync(Shot() + "_Related");
        ui.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Editor_CreateWithAnEndBeforeItsStart_ShowsTheErrorAtTheFieldThenCreatesAndUpdates()
    {
        var service = NewService();
        await using var ui = await fixture.OpenAsync();
        await ui.GotoAsync("/?view=new");
        var page = ui.Page;
        await page.GetByLabel("Title").FillAsync("Maintenance window db-1");
        await page.GetByLabel("Type").SelectOptionAsync("TYPE_OPERATION");
        await page.GetByLabel("Service").FillAsync(service);
        await page.GetByLabel("Status").SelectOptionAsync("STATUS_PLANNED");
        await page.GetByLabel("Start").FillAsync("2026-03-01T10:00");
        await page.GetByLabel("End", new() { Exact = true }).FillAsync("2026-03-01T09:00");
        await page.GetByLabel("Labels").FillAsync("window=db\nteam=dba");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create event" }).ClickAsync();

        var endError = page.Locator("#e-attributes-end-date-error");
        await Expect(endError).ToHaveTextAsync("End must not be before attributes.start_date.");
        await Expect(page.GetByLabel("End", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator(".error-summary")).ToBeFocusedAsync();
        await Expect(page.Locator("#e-title-error")).ToBeHiddenAsync();
        await ui.ScreenshotAsync(Shot() + "_Error");

        await page.GetByLabel("End", new() { Exact = true }).FillAsync("2026-03-01T12:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create event" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Event recorded.");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Maintenance window db-1");
        await Expect(page.Locator("dl.fields")).ToContainTextAsync("2 h");

        var stored = (await fixture.ListEventsAsync($"service=\"{service}\"")).GetProperty("events");
        Assert.Equal(1, stored.GetArrayLength());
        var attributes = stored[0].GetProperty("attributes");
        Assert.Equal("TYPE_OPERATION", attributes.GetProperty("type").GetString());
        Assert.Equal("dba", attributes.GetProperty("labels").GetProperty("team").GetString());
        Assert.Equal("manual", attributes.GetProperty("source").GetString());
        await ui.ScreenshotAsync(Shot() + "_Created");

        // Update: only the fields changed are sent; an emptied one is cleared.
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        await ui.WaitReadyAsync();
        await Expect(page.GetByLabel("Title")).ToHaveValueAsync("Maintenance window db-1");
        await page.GetByLabel("Status").SelectOptionAsync("STATUS_DONE");
        await page.GetByLabel("Labels").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Changes saved.");
        await Expect(page.Locator(".badges .badge")).ToHaveTextAsync("Done");
        await Expect(page.Locator("ol.history > li")).ToHaveCountAsync(2);
        var updated = (await fixture.ListEventsAsync($"service=\"{service}\"")).GetProperty("events")[0].GetProperty("attributes");
        Assert.Equal("STATUS_DONE", updated.GetProperty("status").GetString());
        Assert.Empty(updated.GetProperty("labels").EnumerateObject());
        ui.AssertNoConsoleErrors(400);
    }

    [Fact]
    public async Task Editor_LabelWithALineBreak_IsKeptWhenAnotherLabelChanges_AndAnUnchangedFormSavesNothing()
    {
        var service = NewService();
        var labels = new Dictionary<string, string> { ["note"] = "line1\nline2=evil", ["team"] = "a" };
        var created = await fixture.CreateEventAsync(Event("Labelled", service, extra: new { labels }));
        var id = created.GetProperty("id").GetString()!;
        await using var ui = await fixture.OpenAsync();
        var page = ui.Page;

        await ui.GotoAsync($"/?view=edit&event={id}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Nothing was changed.");
        Assert.Equal(created.GetProperty("etag").GetString(), (await ReadEventAsync(id)).GetProperty("etag").GetString());

        await ui.GotoAsync($"/?view=edit&event={id}");
        await Expect(page.GetByLabel("Labels")).ToHaveValueAsync("note=line1\\nline2=evil\nteam=a");
        await page.GetByLabel("Labels").FillAsync("note=line1\\nline2=evil\nteam=b");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Changes saved.");

        var saved = (await ReadEventAsync(id)).GetProperty("attributes").GetProperty("labels");
        Assert.Equal(2, saved.EnumerateObject().Count());
        Assert.Equal("line1\nline2=evil", saved.GetProperty("note").GetString());
        Assert.Equal("b", saved.GetProperty("team").GetString());
        ui.AssertNoConsoleErrors();
    }

    private async Task<JsonElement> ReadEventAsync(string id)
    {
        using var response = await fixture.Api.GetAsync($"/api/v1alpha1/event/{id}").WaitAsync(TimeSpan.FromSeconds(30));
        response.EnsureSuccessStatusCode();
        return JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Timeline_MoreEventsThanAPage_LoadsTheNextPageOnLoadMore()
    {
        var service = NewService();
        var start = new DateTimeOffset(2026, 4, 1, 8, 0, 0, TimeSpan.Zero);
        await Task.WhenAll(Enumerable.Range(0, 60).Select(i =>
            fixture.CreateEventAsync(Event($"Batch job {i:D2}", service, "TYPE_RPA_USAGE", start.AddMinutes(i).ToString("O")))));

        await using var ui = await fixture.OpenAsync();
        await ui.GotoAsync($"/?service={service}");
        await Expect(Titles(ui)).ToHaveCountAsync(50);
        await Expect(Titles(ui).First).ToHaveTextAsync("Batch job 59");
        await Expect(ui.Page.Locator(".summary")).ToHaveTextAsync("Showing 50 of 60 events matching the filters.");

        var more = ui.Page.GetByRole(AriaRole.Button, new() { Name = "Load more" });
        await more.ClickAsync();
        await Expect(Titles(ui)).ToHaveCountAsync(60);
        await Expect(Titles(ui).Last).ToHaveTextAsync("Batch job 00");
        await Expect(more).ToBeHiddenAsync();
        // The first event of the new page takes the focus once the last page is in.
        await Expect(ui.Page.GetByRole(AriaRole.Link, new() { Name = "Batch job 09" })).ToBeFocusedAsync();
        await ui.ScreenshotAsync(Shot());
        ui.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Timeline_EventWithHtmlAndScriptInItsText_ShowsItAsText()
    {
        var service = NewService();
        const string title = "<img src=x onerror=\"window.__xss=1\"><b>bold</b>";
        const string message = "<script>window.__xss=2</script><a href=\"javascript:window.__xss=3\">click</a>";
        var created = await fixture.CreateEventAsync(Event(title, service, "TYPE_INCIDENT", extra: new
        {
            message,
            owner = "<svg onload=\"window.__xss=4\">",
        }));

        await using var ui = await fixture.OpenAsync();
        await ui.GotoAsync($"/?service={service}");
        await Expect(Titles(ui)).ToHaveTextAsync([title]);
        await Expect(ui.Page.Locator("li.event img, li.event b, li.event svg")).ToHaveCountAsync(0);
        await Expect(ui.Page.Locator("li.event .facts")).ToContainTextAsync("<svg onload=\"window.__xss=4\">");
        await ui.ScreenshotAsync(Shot());

        await ui.GotoAsync($"/?event={created.GetProperty("id").GetString()}");
        await Expect(ui.Page.Locator("h1")).ToHaveTextAsync(title);
        await Expect(ui.Page.Locator(".message-text")).ToHaveTextAsync(message);
        await Expect(ui.Page.Locator("main img, main script, main b, main svg, .message-text a")).ToHaveCountAsync(0);
        Assert.True(await ui.Page.EvaluateAsync<bool>("() => window.__xss === undefined"));
        await ui.ScreenshotAsync(Shot() + "_Detail");
        ui.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Live_EventsCreatedUpdatedAndDeletedThroughTheApi_ShowWithoutAReload()
    {
        var service = NewService();
        await fixture.CreateEventAsync(Event("Already there", service, start: "2026-01-01T10:00:00Z"));
        await using var ui = await fixture.OpenAsync();
        await ui.GotoAsync($"/?service={service}");
        await Expect(Titles(ui)).ToHaveTextAsync(["Already there"]);
        await Expect(ui.Page.Locator("#live-status")).ToHaveAttributeAsync("data-state", "live");

        var created = await fixture.CreateEventAsync(Event("Arrived live", service, "TYPE_INCIDENT", extra: new { status = "STATUS_OPEN" }));
        await Fixture_CreateOtherServiceEventAsync();
        await Expect(Titles(ui)).ToHaveTextAsync(["Arrived live", "Already there"]);
        await Expect(ui.Page.Locator("li.event.fresh")).ToHaveCountAsync(1);
        await Expect(ui.Page.Locator(".summary")).ToHaveTextAsync("Showing 2 of 2 events matching the filters.");
        await ui.ScreenshotAsync(Shot());

        var id = created.GetProperty("id").GetString()!;
        await fixture.UpdateEventAsync(new JsonObject { ["id"] = id, ["attributes"] = new JsonObject { ["status"] = "STATUS_CLOSE" } });
        await Expect(ui.Page.Locator("li.event", new() { HasText = "Arrived live" }).Locator(".badge")).ToHaveTextAsync("Closed");

        using var deleted = await fixture.Api.DeleteAsync($"/api/v1alpha1/event/{id}").WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(deleted.IsSuccessStatusCode);
        await Expect(Titles(ui)).ToHaveTextAsync(["Already there"]);
        ui.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Live_EventCommittedBetweenThePageAndTheStream_ShowsWhenTheServerWasBusyAtFirst()
    {
        var service = NewService();
        await fixture.CreateEventAsync(Event("Already there", service, start: "2026-01-01T10:00:00Z"));
        await using var ui = await fixture.OpenAsync();
        var firstPageRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lists = 0;
        await ui.Page.RouteAsync("**/api/v1alpha1/events/list?*", async route =>
        {
            switch (Interlocked.Increment(ref lists))
            {
                case 1:
                    await route.FulfillAsync(new RouteFulfillOptions { Response = await route.FetchAsync() });
                    firstPageRead.TrySetResult();
                    break;
                case 2:
                    // The page's second read (after the stream opened) meets a busy server once.
                    await route.FulfillAsync(BusyServer);
                    break;
                default:
                    await route.ContinueAsync();
                    break;
            }
        });
        // The stream starts from the present, once an event has been committed after the first page
        // was read: only the page's second read can show it.
        await ui.Page.RouteAsync("**/api/v1alpha1/events:watch?*", async route =>
        {
            await firstPageRead.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await fixture.CreateEventAsync(Event("In the gap", service, start: "2026-01-02T10:00:00Z"));
            await route.ContinueAsync();
        });

        await ui.GotoAsync($"/?service={service}");

        await Expect(Titles(ui)).ToHaveTextAsync(["In the gap", "Already there"]);
        Assert.True(lists >= 3, $"{lists} reads of the list");
        ui.AssertNoConsoleErrors(429);
    }

    [Fact]
    public async Task Live_StreamThatDropsBeforeAnyChange_CatchesUpWithWhatHappenedMeanwhile()
    {
        var service = NewService();
        await fixture.CreateEventAsync(Event("Already there", service, start: "2026-01-01T10:00:00Z"));
        await using var ui = await fixture.OpenAsync();
        var watches = 0;
        await ui.Page.RouteAsync("**/api/v1alpha1/events:watch?*", async route =>
        {
            if (Interlocked.Increment(ref watches) == 1)
            {
                // The first stream opens and ends before any change: no change_id to resume from.
                await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "application/x-ndjson", Body = string.Empty });
                return;
            }

            // Committed while the page was between streams: the next stream starts after it.
            await fixture.CreateEventAsync(Event("While reconnecting", service, start: "2026-01-02T10:00:00Z"));
            await route.ContinueAsync();
        });

        await ui.GotoAsync($"/?service={service}");

        await Expect(Titles(ui)).ToHaveTextAsync(["While reconnecting", "Already there"]);
        await Expect(ui.Page.Locator("#live-status")).ToHaveAttributeAsync("data-state", "live");
        ui.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Timeline_FirstPageRefusedByABusyServer_IsAskedForAgain()
    {
        var service = NewService();
        await fixture.CreateEventAsync(Event("Already there", service, start: "2026-01-01T10:00:00Z"));
        await using var ui = await fixture.OpenAsync();
        var lists = 0;
        await ui.Page.RouteAsync("**/api/v1alpha1/events/list?*", async route =>
        {
            if (Interlocked.Increment(ref lists) == 1)
            {
                await route.FulfillAsync(BusyServer);
                return;
            }

            await route.ContinueAsync();
        });

        await ui.GotoAsync($"/?service={service}");

        await Expect(Titles(ui)).ToHaveTextAsync(["Already there"]);
        await Expect(ui.Page.Locator(".problem")).ToBeHiddenAsync();
        await Expect(ui.Page.Locator(".summary")).ToHaveTextAsync("Showing 1 of 1 event matching the filters.");
        ui.AssertNoConsoleErrors(429);
    }

    private Task Fixture_CreateOtherServiceEventAsync() => fixture.CreateEventAsync(Event("Not this service", NewService()));

    [Fact]
    public async Task Views_VisitedInTurnByKeyboard_ShowAFocusRingAndLogNoConsoleErrors()
    {
        var service = NewService();
        var created = await fixture.CreateEventAsync(Event("Keyboard check", service));
        var id = created.GetProperty("id").GetString()!;
        await using var ui = await fixture.OpenAsync();

        var response = await ui.Page.GotoAsync("/");
        Assert.NotNull(response);
        var csp = await response.HeaderValueAsync("content-security-policy");
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        await ui.WaitReadyAsync();

        // Tab reaches the skip link first, with a visible focus ring, then the views.
        await ui.Page.Keyboard.PressAsync("Tab");
        var skip = ui.Page.Locator(".skip-link");
        await Expect(skip).ToBeFocusedAsync();
        Assert.NotEqual("none", await skip.EvaluateAsync<string>("e => getComputedStyle(e).outlineStyle"));
        await ui.Page.Keyboard.PressAsync("Tab");
        await ui.Page.Keyboard.PressAsync("Tab");
        await ui.Page.Keyboard.PressAsync("Tab");
        await Expect(ui.Page.Locator("nav a", new() { HasText = "Today" })).ToBeFocusedAsync();
        await ui.Page.Keyboard.PressAsync("Enter");
        await ui.WaitReadyAsync();
        await Expect(ui.Page.Locator("h1")).ToHaveTextAsync("Today");
        await Expect(ui.Page.Locator("h1")).ToBeFocusedAsync();

        // Every control of the filters and the form has a label.
        foreach (var url in new[] { $"/?service={service}", "/?view=today", $"/?event={id}", "/?view=new", $"/?view=edit&event={id}" })
        {
            await ui.GotoAsync(url);
            var unlabelled = await ui.Page.EvaluateAsync<string[]>(
                "() => [...document.querySelectorAll('main input, main select, main textarea')].filter(c => c.labels.length === 0 && !c.getAttribute('aria-label')).map(c => c.id || c.name)");
            Assert.Empty(unlabelled);
        }

        await ui.ScreenshotAsync(Shot());
        ui.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Views_At360PixelsWide_FitTheScreen()
    {
        // The longest service and owner the server takes (128 characters), without a break.
        var service = NewService().PadRight(128, 'x');
        var created = await fixture.CreateEventAsync(Event("A deployment with a rather long title that has to wrap on a phone", service, extra: new
        {
            status = "STATUS_SUCCESS", environment = "ENVIRONMENT_PREPRODUCTION", priority = "PRIORITY_P2", owner = new string('o', 128),
        }));
        await using var ui = await fixture.OpenAsync(width: 360, height: 780);
        foreach (var (url, name) in new[] { ($"/?service={service}", "Timeline"), ($"/?event={created.GetProperty("id").GetString()}", "Detail"), ("/?view=new", "New") })
        {
            await ui.GotoAsync(url);
            var width = await ui.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            Assert.True(width <= 360, $"{name} is {width} px wide at 360 px.");
            await ui.ScreenshotAsync(Shot() + "_" + name);
        }

        ui.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Schema_ServedModule_MatchesEventFieldsAndTheEnumDescriptors()
    {
        await using var ui = await fixture.OpenAsync();
        await ui.GotoAsync($"/?service={NewService()}");

        // The module as the page imports it (script-src 'self').
        var served = JsonDocument.Parse(await ui.Page.EvaluateAsync<string>(
            "async () => { const m = await import('/js/schema.js'); return JSON.stringify({ fields: m.FIELDS, enums: m.ENUMS, lists: m.LISTS }); }")).RootElement;

        var fields = served.GetProperty("fields").EnumerateArray().ToArray();
        Assert.Equal(EventFields.All.Select(f => f.Name), fields.Select(f => f.GetProperty("name").GetString()));
        foreach (var (field, entry) in EventFields.All.Zip(fields))
        {
            Assert.Equal(field.Kind.ToString().ToLowerInvariant(), entry.GetProperty("kind").GetString());
            Assert.Equal(field.Ordered, entry.GetProperty("ordered").GetBoolean());
            Assert.Equal(field.Many, entry.GetProperty("many").GetBoolean());
            Assert.Equal(field.Enum?.FullName, entry.GetProperty("enum").GetString());
            var onEvent = Tracker.Api.V1Alpha1.Event.Descriptor.FindFieldByName(field.Name.Split('.')[0]) is not null;
            Assert.Equal(onEvent ? field.Name : "attributes." + field.Name, entry.GetProperty("path").GetString());
        }

        var enums = EventFields.All.Select(f => f.Enum).OfType<EnumDescriptor>().DistinctBy(e => e.FullName).ToArray();
        Assert.Equal(enums.Select(e => e.FullName).Order(StringComparer.Ordinal), served.GetProperty("enums").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        foreach (var descriptor in enums)
        {
            var entry = served.GetProperty("enums").GetProperty(descriptor.FullName);
            Assert.Equal(descriptor.Name, entry.GetProperty("name").GetString());
            Assert.Equal(descriptor.Values.Select(v => (v.Name, v.Number)), entry.GetProperty("values").EnumerateArray().Select(v => (v.GetProperty("name").GetString()!, v.GetProperty("number").GetInt32())));
            var prefix = entry.GetProperty("prefix").GetString()!;
            Assert.Equal(descriptor.FindValueByNumber(0).Name, prefix + "UNSPECIFIED");
            Assert.All(descriptor.Values, v => Assert.StartsWith(prefix, v.Name, StringComparison.Ordinal));
        }

        // Every repeated string field of the proto, arguments included, whether filterable or not.
        var lists = EventAttributes.Descriptor.Fields.InDeclarationOrder().Where(f => f is { IsRepeated: true, IsMap: false, FieldType: FieldType.String }).Select(f => "attributes." + f.Name);
        Assert.Equal(lists, served.GetProperty("lists").EnumerateArray().Select(l => l.GetProperty("path").GetString()));
        Assert.Contains("attributes.arguments", lists);

        // What the page makes of it: the fields a filter can name, and each enum filter's values.
        await Expect(ui.Page.Locator("#f-filter-fields code")).ToHaveTextAsync(EventFields.All.Select(f => f.Name).ToArray());
        var type = EventFields.All.Single(f => f.Name == "type").Enum!;
        await Expect(ui.Page.Locator("#f-type option")).ToHaveCountAsync(type.Values.Count);
        var options = await ui.Page.Locator("#f-type option").EvaluateAllAsync<string[]>("options => options.map(o => o.value)");
        string[] expected = ["", .. type.Values.Where(v => v.Number != 0).Select(v => v.Name["TYPE_".Length..].ToLowerInvariant())];
        Assert.Equal(expected, options);
        ui.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Enums_ValueAddedToTheServedModule_ShowsWithItsNameInWords()
    {
        await using var ui = await fixture.OpenAsync();
        // As a server with one more Type value would serve it; the UI's own modules are unchanged.
        await ui.Page.RouteAsync("**/js/schema.js", async route =>
        {
            var response = await route.FetchAsync();
            var body = await response.TextAsync() + "\nENUMS['tracker.event.v1alpha1.Type'].values.push({ name: 'TYPE_CHAOS_TEST', number: 99 });\n";
            await route.FulfillAsync(new RouteFulfillOptions { Response = response, Body = body });
        });

        await ui.GotoAsync($"/?service={NewService()}&type=chaos_test");
        await Expect(ui.Page.Locator("#f-type option[value=chaos_test]")).ToHaveTextAsync("Chaos test");
        await Expect(ui.Page.Locator("#f-type")).ToHaveValueAsync("chaos_test");
        await ui.GotoAsync("/?view=new");
        await Expect(ui.Page.Locator("#e-attributes-type option[value=TYPE_CHAOS_TEST]")).ToHaveTextAsync("Chaos test");
        await Expect(ui.Page.Locator("#e-attributes-type option[value=TYPE_RPA_USAGE]")).ToHaveTextAsync("Automation run");
        await Expect(ui.Page.Locator("#e-attributes-environment option[value=ENVIRONMENT_PREPRODUCTION]")).ToHaveTextAsync("Pre-production");
        ui.AssertNoConsoleErrors(400);
    }

    [Fact]
    public async Task Detail_EventWithArguments_ShowsThemInOrderAndTheFormEditsThem()
    {
        var service = NewService();
        var created = await fixture.CreateEventAsync(Event("VM vm1 moved to host-7", service, "TYPE_OPERATION", extra: new
        {
            arguments = new[] { "vm1", "host-7", "disk 2, slot 3" },
        }));
        var id = created.GetProperty("id").GetString()!;
        await using var ui = await fixture.OpenAsync();
        var page = ui.Page;

        await ui.GotoAsync($"/?event={id}");
        var shown = page.Locator("dl.fields ol.values[data-field=arguments] > li");
        await Expect(shown).ToHaveTextAsync(["vm1", "host-7", "disk 2, slot 3"]);
        await Expect(page.Locator("dl.fields dt", new() { HasTextRegex = new Regex("^Arguments$") })).ToHaveCountAsync(1);
        await ui.ScreenshotAsync(Shot());

        // Edited in the form, one per line: the update names only attributes.arguments.
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        await ui.WaitReadyAsync();
        var field = page.GetByLabel("Arguments");
        await Expect(field).ToHaveValueAsync("vm1\nhost-7\ndisk 2, slot 3");
        await field.FillAsync("vm2\nvm1");
        await ui.ScreenshotAsync(Shot() + "_Form");
        var put = await page.RunAndWaitForRequestAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync(),
            request => request.Method == "PUT" && request.Url.EndsWith("/api/v1alpha1/event", StringComparison.Ordinal));
        var sent = put.PostDataJSON()!.Value;
        Assert.Equal("attributes.arguments", sent.GetProperty("updateMask").GetString());
        Assert.Equal(["vm2", "vm1"], sent.GetProperty("attributes").GetProperty("arguments").EnumerateArray().Select(a => a.GetString()));

        await Expect(page.Locator(".flash")).ToHaveTextAsync("Changes saved.");
        await Expect(shown).ToHaveTextAsync(["vm2", "vm1"]);
        Assert.Equal(["vm2", "vm1"], (await ReadEventAsync(id)).GetProperty("attributes").GetProperty("arguments").EnumerateArray().Select(a => a.GetString()));

        // Emptied, they are cleared, and the event view shows none.
        await ui.GotoAsync($"/?view=edit&event={id}");
        await page.GetByLabel("Arguments").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Changes saved.");
        await Expect(page.Locator("dl.fields")).ToContainTextAsync(id);
        await Expect(shown).ToHaveCountAsync(0);
        Assert.Empty((await ReadEventAsync(id)).GetProperty("attributes").GetProperty("arguments").EnumerateArray());
        ui.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Filters_ArgumentsExpression_ShowsOnlyTheEventsWithThatArgument()
    {
        var service = NewService();
        await fixture.CreateEventAsync(Event("VM vm1 stopped", service, "TYPE_OPERATION", "2026-05-01T10:00:00Z", new { arguments = new[] { "vm1" } }));
        await fixture.CreateEventAsync(Event("VM vm10 stopped", service, "TYPE_OPERATION", "2026-05-01T11:00:00Z", new { arguments = new[] { "vm10", "host-1" } }));
        await using var ui = await fixture.OpenAsync();

        await ui.GotoAsync($"/?service={service}");
        await Expect(ui.Page.Locator("#f-filter-fields code", new() { HasTextRegex = new Regex("^arguments$") })).ToHaveCountAsync(1);
        await ui.Page.GetByLabel("Filter expression").FillAsync("arguments:\"vm1\"");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        await ui.WaitReadyAsync();

        await Expect(Titles(ui)).ToHaveTextAsync(["VM vm1 stopped"]);
        ui.AssertNoConsoleErrors();
    }
}
