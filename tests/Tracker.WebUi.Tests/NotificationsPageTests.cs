using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;
using Tracker.Api.V1Alpha1;
using Tracker.Testing;
using static Microsoft.Playwright.Assertions;

namespace Tracker.WebUi.Tests;

/// <summary>
/// The server with webhooks allowed to reach a local http receiver (Notifications:AllowHttp and
/// Notifications:AllowPrivateTargets, both off by default).
/// </summary>
public sealed class NotificationsServerFixture : WebUiFixture
{
    protected override void Configure(Dictionary<string, string> environment)
    {
        environment["Notifications__AllowPrivateTargets"] = "true";
        environment["Notifications__AllowHttp"] = "true";
    }
}

/// <summary>
/// The Notifications view (README, "Web UI") in Debian's chromium against the real server and a
/// real webhook receiver: the channels with their health, the test button's result, the delivery
/// log with its state filter and paging, redelivery of one message and of everything after a
/// change, the API's own error messages, and user text (names, filters, errors) shown as text.
/// Each test makes channels and a service of its own, so the tests share one server.
/// </summary>
public sealed class NotificationsPageTests(NotificationsServerFixture fixture) : IClassFixture<NotificationsServerFixture>
{
    private static readonly TimeSpan DeliveryLimit = TimeSpan.FromSeconds(60);

    /// <summary>What a picky receiver refuses (400): an event whose title holds it.</summary>
    private const string RejectMark = "REJECT-ME";

    private static readonly WebhookAnswer Ok = new(200);
    private static readonly WebhookAnswer BadRequest = new(400);

    private static string Suffix() => Guid.NewGuid().ToString("N")[..10];

    private static string Shot([CallerMemberName] string name = "") => name;

    private static string ServiceFilter(string service) => $"service=\"{service}\"";

    private static object Deploy(string title, string service) =>
        new { title, attributes = new { type = "TYPE_DEPLOYMENT", service } };

    private static ILocator ChannelRow(UiPage ui, string name) => ui.Page.Locator($"tr[data-channel=\"{name}\"]");

    private static ILocator DeliveryRows(UiPage ui) => ui.Page.Locator(".deliveries-table tbody tr");

    [Fact]
    public async Task Channels_CreatedThroughTheApi_ShowWithTheirKindTargetRoutingStateAndHealth()
    {
        var suffix = Suffix();
        var service = "svc-" + suffix;
        var subscriber = "sub-" + suffix;
        var named = "named-" + suffix;
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = _ => Ok;
        await CreateChannelAsync(new { name = subscriber, kind = "CHANNEL_KIND_WEBHOOK", url = receiver.Url + "?token=hidden", filter = ServiceFilter(service) });
        await CreateChannelAsync(new { name = named, kind = "CHANNEL_KIND_WEBHOOK", url = receiver.Url.ToString(), changeTypes = new[] { "CHANGE_TYPE_CREATED", "CHANGE_TYPE_DELETED" }, disabled = true });
        await fixture.CreateEventAsync(Deploy("Deploy checkout", service));
        await WaitForDeliveriesAsync(subscriber, d => d.Count(IsDelivered) == 1);

        await using var ui = await fixture.OpenAsync();
        await ui.GotoAsync("/");
        await ui.Page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Notifications" }).ClickAsync();
        await ui.WaitReadyAsync();
        Assert.EndsWith("/?view=notifications", ui.Page.Url, StringComparison.Ordinal);
        await Expect(ui.Page.Locator("h1")).ToHaveTextAsync("Notifications");
        await Expect(ui.Page.Locator("nav a[aria-current=page]")).ToHaveTextAsync("Notifications");

        var first = ChannelRow(ui, subscriber);
        await Expect(first.Locator("th")).ToHaveTextAsync(subscriber);
        await Expect(first).ToContainTextAsync("Webhook");
        // The target as the API shows it: its query, which may hold a credential, dropped.
        await Expect(first.Locator(".target")).ToContainTextAsync(receiver.Url.ToString());
        await Expect(first.Locator(".target")).Not.ToContainTextAsync("hidden");
        await Expect(first.Locator(".routing")).ToHaveTextAsync("Filter " + ServiceFilter(service));
        await Expect(first).ToContainTextAsync("All");
        await Expect(first.Locator(".channel-state")).ToHaveTextAsync("Enabled");
        await Expect(first.Locator(".last-success time")).ToHaveCountAsync(1);
        await Expect(first.Locator(".last-failure")).ToHaveTextAsync("Never");
        await Expect(first.Locator(".pending")).ToHaveTextAsync("0");
        await Expect(first.Locator(".lag")).ToHaveTextAsync("–");

        var second = ChannelRow(ui, named);
        await Expect(second.Locator(".routing")).ToHaveTextAsync("By notifications");
        await Expect(second).ToContainTextAsync("Created, Deleted");
        await Expect(second.Locator(".channel-state")).ToHaveTextAsync("Disabled");
        await Expect(second.Locator(".last-success")).ToHaveTextAsync("Never");

        // How to add one: the page is read-only and says which REST call makes a channel.
        var hint = ui.Page.Locator(".create-hint");
        await hint.Locator("summary").ClickAsync();
        await Expect(hint).ToContainTextAsync("POST /api/v1alpha1/channels");
        await Expect(hint.Locator("pre")).ToContainTextAsync("\"kind\":\"CHANNEL_KIND_WEBHOOK\"");
        await Expect(hint).ToContainTextAsync("notifications:admin");

        // Choosing a channel shows its log, with the event's link.
        await first.GetByRole(AriaRole.Link, new() { Name = subscriber }).ClickAsync();
        await ui.WaitReadyAsync();
        Assert.EndsWith($"/?view=notifications&channel={subscriber}", ui.Page.Url, StringComparison.Ordinal);
        await Expect(ui.Page.Locator("#deliveries-title")).ToHaveTextAsync("Deliveries to " + subscriber);
        await Expect(DeliveryRows(ui)).ToHaveCountAsync(1);
        await Expect(DeliveryRows(ui).First).ToContainTextAsync("Delivered");
        await Expect(DeliveryRows(ui).First.Locator(".last-attempt")).ToContainTextAsync("HTTP 200");

        var unlabelled = await ui.Page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('main input, main select, main textarea')].filter(c => c.labels.length === 0 && !c.getAttribute('aria-label')).map(c => c.id || c.name)");
        Assert.Empty(unlabelled);
        await ui.ScreenshotAsync(Shot());
        ui.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task SendTest_ToAReceiverAndToAClosedPort_ShowsEachResultAndLogsTheTestMessage()
    {
        var suffix = Suffix();
        var good = "good-" + suffix;
        var closed = "closed-" + suffix;
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = _ => Ok;
        await CreateChannelAsync(new { name = good, kind = "CHANNEL_KIND_WEBHOOK", url = receiver.Url.ToString() });
        await CreateChannelAsync(new { name = closed, kind = "CHANNEL_KIND_WEBHOOK", url = $"http://127.0.0.1:{ClosedPort()}/nobody" });

        await using var ui = await fixture.OpenAsync();
        await ui.GotoAsync($"/?view=notifications&channel={good}");
        await Expect(ui.Page.Locator(".deliveries .summary")).ToHaveTextAsync("No messages yet.");

        await ChannelRow(ui, good).GetByRole(AriaRole.Button, new() { Name = "Send test to " + good }).ClickAsync();
        var result = ui.Page.Locator(".channel-list .action-result");
        await Expect(result).ToHaveTextAsync(new Regex($"^Test message to {good}: Delivered \\(HTTP 200 · \\d+(\\.\\d)? m?s\\)\\.$"));
        var received = Assert.Single(receiver.Received);
        Assert.True(JsonDocument.Parse(received.Body).RootElement.GetProperty("test").GetBoolean());
        // The test message is in the shown channel's log, with the id the receiver got.
        await Expect(DeliveryRows(ui)).ToHaveCountAsync(1);
        await Expect(DeliveryRows(ui).First).ToHaveAttributeAsync("data-id", received.Id);
        await Expect(DeliveryRows(ui).First.Locator(".change")).ToHaveTextAsync("Test message");
        await Expect(DeliveryRows(ui).First.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);

        await ChannelRow(ui, closed).GetByRole(AriaRole.Button, new() { Name = "Send test to " + closed }).ClickAsync();
        await Expect(result).ToHaveClassAsync(new Regex("problem"));
        await Expect(result).ToHaveTextAsync(new Regex($"^Test message to {closed}: (?!Delivered).+ \\(.+\\)\\.$"));
        await Expect(ChannelRow(ui, closed).GetByRole(AriaRole.Button, new() { Name = "Send test to " + closed })).ToBeFocusedAsync();
        await ui.ScreenshotAsync(Shot());
        ui.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Redeliver_AMessageTheReceiverRefused_IsSentAgainWithTheSameIdAndShownDelivered()
    {
        var suffix = Suffix();
        var service = "svc-" + suffix;
        var name = "refused-" + suffix;
        await using var receiver = await WebhookReceiver.StartAsync();
        var accepting = false;
        receiver.Answer = _ => accepting ? Ok : BadRequest;
        await CreateChannelAsync(new { name, kind = "CHANNEL_KIND_WEBHOOK", url = receiver.Url.ToString(), filter = ServiceFilter(service) });
        var created = await fixture.CreateEventAsync(Deploy("Deploy refused", service));
        var eventId = created.GetProperty("id").GetString()!;
        await WaitForDeliveriesAsync(name, d => d.Count(IsFailed) == 1);

        await using var ui = await fixture.OpenAsync();
        await ui.GotoAsync($"/?view=notifications&channel={name}");
        var row = DeliveryRows(ui).First;
        await Expect(DeliveryRows(ui)).ToHaveCountAsync(1);
        await Expect(row).ToHaveAttributeAsync("data-state", "DELIVERY_STATE_FAILED");
        await Expect(row.Locator(".attempt-count")).ToHaveTextAsync("1");
        // The status once, even when the attempt's error repeats it.
        await Expect(row.Locator(".last-attempt .reason")).ToHaveTextAsync(new Regex("^HTTP 400 · \\d+(\\.\\d)? m?s$"));
        await Expect(row.Locator(".change")).ToContainTextAsync("Created");
        await Expect(row.Locator(".event-id a")).ToHaveAttributeAsync("href", $"/?event={eventId}");
        await Expect(ChannelRow(ui, name).Locator(".last-failure")).ToContainTextAsync("400");
        await ui.ScreenshotAsync(Shot() + "_Failed");

        accepting = true;
        var id = await row.GetAttributeAsync("data-id");
        await row.GetByRole(AriaRole.Button, new() { Name = "Redeliver message " + id }).ClickAsync();
        await Expect(ui.Page.Locator(".deliveries .action-result")).ToHaveTextAsync("1 message sent again.");
        await RefreshUntilAsync(ui, row, "data-state", "DELIVERY_STATE_DELIVERED");
        await Expect(row.Locator(".attempt-count")).ToHaveTextAsync("2");
        await Expect(row.Locator(".last-attempt")).ToContainTextAsync("HTTP 200");

        // The receiver got the same message twice, under the same id, which is the delivery's.
        var received = receiver.Received;
        Assert.Equal(2, received.Count);
        Assert.All(received, r => Assert.Equal(id, r.Id));

        // The event's link opens the event.
        await row.Locator(".event-id a").ClickAsync();
        await ui.WaitReadyAsync();
        await Expect(ui.Page.Locator("h1")).ToHaveTextAsync("Deploy refused");
        await ui.ScreenshotAsync(Shot());
        ui.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task RedeliverEverythingAfter_AChange_SendsTheLaterMessagesAgain()
    {
        var suffix = Suffix();
        var service = "svc-" + suffix;
        var name = "after-" + suffix;
        await using var receiver = await WebhookReceiver.StartAsync();
        await CreateChannelAsync(new { name, kind = "CHANNEL_KIND_WEBHOOK", url = receiver.Url.ToString(), filter = ServiceFilter(service) });
        foreach (var title in new[] { "First", "Second", "Third" })
        {
            await fixture.CreateEventAsync(Deploy(title, service));
        }

        await WaitForDeliveriesAsync(name, d => d.Count(IsDelivered) == 3);

        await using var ui = await fixture.OpenAsync();
        await ui.GotoAsync($"/?view=notifications&channel={name}");
        await Expect(DeliveryRows(ui)).ToHaveCountAsync(3);
        // Newest change first: the last row is the first change.
        var oldest = DeliveryRows(ui).Last;
        var change = (await oldest.Locator(".change code").TextContentAsync())!;
        var later = await DeliveryRows(ui).EvaluateAllAsync<string[]>("rows => rows.slice(0, 2).map(r => r.dataset.id)");
        string? asked = null;
        ui.Page.Dialog += async (_, dialog) =>
        {
            asked = dialog.Message;
            await dialog.AcceptAsync();
        };
        await oldest.GetByRole(AriaRole.Button, new() { Name = "Redeliver everything after change " + change }).ClickAsync();
        await Expect(ui.Page.Locator(".deliveries .action-result")).ToHaveTextAsync("2 messages sent again.");
        Assert.Contains(change, asked, StringComparison.Ordinal);

        await RefreshUntilAsync(ui, DeliveryRows(ui).Nth(1).Locator(".attempt-count"), null, "2");
        await RefreshUntilAsync(ui, DeliveryRows(ui).Nth(0).Locator(".attempt-count"), null, "2");
        await Expect(oldest.Locator(".attempt-count")).ToHaveTextAsync("1");
        var received = receiver.Received.Select(r => r.Id).ToArray();
        Assert.Equal(5, received.Length);
        Assert.Equal(later.Order(StringComparer.Ordinal), received.GroupBy(id => id).Where(g => g.Count() == 2).Select(g => g.Key).Order(StringComparer.Ordinal));
        ui.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Deliveries_StateFilterAndMore_ShowEachStateAndPageThroughTheLog()
    {
        var suffix = Suffix();
        var service = "svc-" + suffix;
        var name = "paged-" + suffix;
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = webhook => webhook.Body.Contains(RejectMark, StringComparison.Ordinal) ? BadRequest : Ok;
        await CreateChannelAsync(new { name, kind = "CHANNEL_KIND_WEBHOOK", url = receiver.Url.ToString(), filter = ServiceFilter(service) });
        for (var i = 1; i <= 21; i++)
        {
            await fixture.CreateEventAsync(Deploy($"Deploy {i}", service));
        }

        await fixture.CreateEventAsync(Deploy($"Deploy {RejectMark} a", service));
        await fixture.CreateEventAsync(Deploy($"Deploy {RejectMark} b", service));
        await WaitForDeliveriesAsync(name, d => d.Count(IsDelivered) == 21 && d.Count(IsFailed) == 2);

        await using var ui = await fixture.OpenAsync();
        await ui.GotoAsync($"/?view=notifications&channel={name}");
        await Expect(DeliveryRows(ui)).ToHaveCountAsync(20);
        await Expect(ui.Page.Locator(".deliveries .summary")).ToHaveTextAsync("Showing 20 messages; there are more.");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "More", Exact = true }).ClickAsync();
        await Expect(DeliveryRows(ui)).ToHaveCountAsync(23);
        await Expect(ui.Page.GetByRole(AriaRole.Button, new() { Name = "More", Exact = true })).ToBeHiddenAsync();
        // The focus, on More which is now hidden, moves to the first row of the new page.
        await Expect(DeliveryRows(ui).Nth(20).Locator(".event-id a")).ToBeFocusedAsync();
        var ids = await DeliveryRows(ui).EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)");
        Assert.Equal(23, ids.Distinct(StringComparer.Ordinal).Count());

        // The state filter's choices are the proto's (js/schema.js), and it is in the URL.
        await ui.Page.GetByLabel("State").SelectOptionAsync("failed");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await ui.WaitReadyAsync();
        Assert.EndsWith($"/?view=notifications&channel={name}&state=failed", ui.Page.Url, StringComparison.Ordinal);
        await Expect(DeliveryRows(ui)).ToHaveCountAsync(2);
        await Expect(DeliveryRows(ui).Locator(".last-attempt")).ToContainTextAsync(["HTTP 400", "HTTP 400"]);
        await Expect(ui.Page.Locator(".deliveries .summary")).ToHaveTextAsync("Showing 2 failed messages.");
        await ui.ScreenshotAsync(Shot());

        await ui.GotoAsync($"/?view=notifications&channel={name}&state=pending");
        await Expect(ui.Page.Locator(".deliveries .summary")).ToHaveTextAsync("No pending messages.");
        await Expect(ui.Page.GetByLabel("State")).ToHaveValueAsync("pending");
        await ui.GotoAsync($"/?view=notifications&channel={name}&state=delivered");
        await Expect(DeliveryRows(ui)).ToHaveCountAsync(20);
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "More", Exact = true }).ClickAsync();
        await Expect(DeliveryRows(ui)).ToHaveCountAsync(21);
        await Expect(ui.Page.Locator(".deliveries-table tbody tr[data-state=DELIVERY_STATE_DELIVERED]")).ToHaveCountAsync(21);
        ui.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Notifications_HtmlInAFilterAChannelNameAndAnError_IsShownAsText()
    {
        var suffix = Suffix();
        var name = "html-" + suffix;
        const string Markup = "<script>window.pwned = 1</script><img src=x onerror=\"window.pwned = 2\">";
        var filter = $"title=\"{Markup.Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
        await CreateChannelAsync(new { name, kind = "CHANNEL_KIND_WEBHOOK", url = "https://hooks.example.com/tracker", filter });
        await using var ui = await fixture.OpenAsync();
        // Channel names cannot hold markup (the API takes [a-z0-9._-]): a channel as a server with a
        // looser rule would list it is added to the real answer.
        const string MarkupName = "<img src=x onerror=\"window.pwned = 3\"><script>window.pwned = 4</script>";
        await ui.Page.RouteAsync("**/api/v1alpha1/channels", async route =>
        {
            var response = await route.FetchAsync();
            var body = JsonNode.Parse(await response.TextAsync())!.AsObject();
            body["channels"]!.AsArray().Add(new JsonObject { ["name"] = MarkupName, ["kind"] = "CHANNEL_KIND_SLACK", ["url"] = "https://hooks.slack.com/…", ["health"] = new JsonObject { ["lastError"] = Markup, ["lastFailureTime"] = "2026-01-01T00:00:00Z" } });
            await route.FulfillAsync(new RouteFulfillOptions { Response = response, Body = body.ToJsonString() });
        });

        // A channel that does not exist, named with markup in the URL: the API's own message.
        var missing = "<b>nobody</b>";
        await ui.GotoAsync("/?view=notifications&channel=" + Uri.EscapeDataString(missing));
        await Expect(ChannelRow(ui, name).Locator(".routing code")).ToHaveTextAsync(filter);
        var markupRow = ui.Page.Locator("tbody tr").Filter(new() { HasText = "window.pwned = 3" });
        await Expect(markupRow.Locator("th")).ToHaveTextAsync(MarkupName);
        await Expect(markupRow.Locator(".last-failure .reason")).ToHaveTextAsync(Markup);
        await Expect(ui.Page.Locator("#deliveries-title")).ToHaveTextAsync("Deliveries to " + missing);
        var expected = await ApiMessageAsync($"/api/v1alpha1/channels/{Uri.EscapeDataString(missing)}/deliveries?pageSize=20");
        await Expect(ui.Page.Locator(".deliveries .problem")).ToHaveTextAsync(expected);

        Assert.Null(await ui.Page.EvaluateAsync<int?>("() => window.pwned"));
        Assert.Equal(0, await ui.Page.Locator("main script, main img, main b").CountAsync());
        await ui.ScreenshotAsync(Shot());
        ui.AssertNoConsoleErrors(400, 404);
    }

    [Fact]
    public async Task Notifications_ApiRefusals_AreShownAsTheApisMessage()
    {
        var suffix = Suffix();
        var name = "refusal-" + suffix;
        await CreateChannelAsync(new { name, kind = "CHANNEL_KIND_WEBHOOK", url = "https://hooks.example.com/tracker" });
        await using var ui = await fixture.OpenAsync();
        await ui.GotoAsync($"/?view=notifications&channel={name}");

        // A redelivery of a message the channel does not have: the API's refusal, as it words it.
        var expected = await ApiMessageAsync($"/api/v1alpha1/channels/{name}:redeliver", new { deliveryId = "no-such-message" });
        var answer = await ui.Page.EvaluateAsync<string>(
            "async ([name]) => { const api = await import('/js/api.js'); try { await api.redeliver(name, { deliveryId: 'no-such-message' }); return 'accepted'; } catch (e) { return e.message; } }",
            new[] { name });
        Assert.Equal(expected, answer);

        // A server that refuses the list: its google.rpc.Status message, not a generic one.
        await ui.Page.RouteAsync("**/api/v1alpha1/channels", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 403,
            ContentType = "application/json",
            Body = """{"code":7,"message":"The key lacks the scope events:read <for channels>."}""",
        }));
        await ui.GotoAsync($"/?view=notifications&channel={name}");
        await Expect(ui.Page.Locator(".channel-list .problem")).ToHaveTextAsync("The key lacks the scope events:read <for channels>.");
        await ui.ScreenshotAsync(Shot());
        ui.AssertNoConsoleErrors(400, 403, 404);
    }

    [Fact]
    public async Task Schema_ServedModule_HasTheChannelEnumsFromTheDescriptors()
    {
        await using var ui = await fixture.OpenAsync();
        await ui.GotoAsync("/?view=notifications&channel=any-channel");

        var served = JsonDocument.Parse(await ui.Page.EvaluateAsync<string>(
            "async () => JSON.stringify((await import('/js/schema.js')).NOTIFICATION_ENUMS)")).RootElement;
        var expected = new[]
        {
            Channel.Descriptor.FindFieldByName("kind").EnumType,
            Delivery.Descriptor.FindFieldByName("state").EnumType,
            Delivery.Descriptor.FindFieldByName("change_type").EnumType,
        };
        Assert.Equal(["tracker.event.v1alpha1.ChannelKind", "tracker.event.v1alpha1.DeliveryState", "tracker.event.v1alpha1.ChangeType"], expected.Select(e => e.FullName));
        Assert.Equal(expected.Select(e => e.FullName), served.EnumerateObject().Select(e => e.Name));
        foreach (var descriptor in expected)
        {
            var entry = served.GetProperty(descriptor.FullName);
            Assert.Equal(descriptor.Values.Select(v => (v.Name, v.Number)), entry.GetProperty("values").EnumerateArray().Select(v => (v.GetProperty("name").GetString()!, v.GetProperty("number").GetInt32())));
            Assert.Equal(descriptor.FindValueByNumber(0).Name, entry.GetProperty("prefix").GetString() + "UNSPECIFIED");
        }

        // The log's state filter lists the served states, by short name.
        var options = await ui.Page.Locator("#d-state option").EvaluateAllAsync<string[]>("options => options.map(o => o.value)");
        string[] states = ["", .. expected[1].Values.Where(v => v.Number != 0).Select(v => v.Name["DELIVERY_STATE_".Length..].ToLowerInvariant())];
        Assert.Equal(states, options);
        ui.AssertNoConsoleErrors(404);
    }

    [Fact]
    public async Task Notifications_At360PixelsWide_FitsTheScreen()
    {
        var suffix = Suffix();
        var name = "narrow-" + suffix.PadRight(40, 'x');
        await CreateChannelAsync(new { name, kind = "CHANNEL_KIND_WEBHOOK", url = "https://hooks.example.com/" + new string('p', 200), filter = ServiceFilter("svc-" + new string('s', 100)) });
        await using var ui = await fixture.OpenAsync(width: 360, height: 780);
        await ui.GotoAsync($"/?view=notifications&channel={name}");
        await Expect(ChannelRow(ui, name)).ToBeAttachedAsync();
        await ui.ScreenshotAsync(Shot());
        var width = await ui.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        var widest = await ui.Page.EvaluateAsync<string>(
            "() => [...document.querySelectorAll('main *')].filter(e => !e.closest('thead') && e.getBoundingClientRect().right > 360).map(e => e.tagName + '.' + e.className).slice(0, 5).join(', ')");
        Assert.True(width <= 360, $"The notifications view is {width} px wide at 360 px: {widest}.");
        ui.AssertNoConsoleErrors();
    }

    /// <summary>A port nothing listens on: bound, then released.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsDelivered(JsonElement delivery) => delivery.GetProperty("state").GetString() == "DELIVERY_STATE_DELIVERED";

    private static bool IsFailed(JsonElement delivery) => delivery.GetProperty("state").GetString() == "DELIVERY_STATE_FAILED";

    private async Task<JsonElement> CreateChannelAsync(object channel)
    {
        using var response = await fixture.Api.PostAsJsonAsync("/api/v1alpha1/channels", channel).WaitAsync(TimeSpan.FromSeconds(30));
        var text = await response.Content.ReadAsStringAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(response.IsSuccessStatusCode, $"CreateChannel answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The google.rpc.Status message the REST API answers a refused call with (GET, or POST with a body).</summary>
    private async Task<string> ApiMessageAsync(string url, object? body = null)
    {
        using var response = body is null
            ? await fixture.Api.GetAsync(url).WaitAsync(TimeSpan.FromSeconds(30))
            : await fixture.Api.PostAsJsonAsync(url, body).WaitAsync(TimeSpan.FromSeconds(30));
        var text = await response.Content.ReadAsStringAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(response.IsSuccessStatusCode, $"{url} was accepted: {text}");
        var message = JsonDocument.Parse(text).RootElement.GetProperty("message").GetString();
        Assert.False(string.IsNullOrEmpty(message), $"{url} answered no message: {text}");
        return message;
    }

    /// <summary>Waits until the channel's whole delivery log, read through REST, satisfies a condition.</summary>
    private async Task WaitForDeliveriesAsync(string channel, Func<IReadOnlyList<JsonElement>, bool> done)
    {
        using var limit = new CancellationTokenSource(DeliveryLimit);
        IReadOnlyList<JsonElement> deliveries = [];
        while (!limit.IsCancellationRequested)
        {
            var text = await fixture.Api.GetStringAsync($"/api/v1alpha1/channels/{channel}/deliveries?pageSize=1000").WaitAsync(TimeSpan.FromSeconds(30));
            var root = JsonDocument.Parse(text).RootElement.Clone();
            deliveries = root.TryGetProperty("deliveries", out var list) ? [.. list.EnumerateArray()] : [];
            if (done(deliveries))
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"The deliveries of {channel} did not get there within {DeliveryLimit}: {JsonSerializer.Serialize(deliveries)}");
    }

    /// <summary>
    /// Clicks the view's Refresh button until an element has an attribute's value (or, with no
    /// attribute, a text): the page reads the log when asked, it does not poll.
    /// </summary>
    private static async Task RefreshUntilAsync(UiPage ui, ILocator element, string? attribute, string value)
    {
        var refresh = ui.Page.GetByRole(AriaRole.Button, new() { Name = "Refresh" });
        var until = DateTime.UtcNow + DeliveryLimit;
        while (true)
        {
            var current = attribute is null ? await element.TextContentAsync() : await element.GetAttributeAsync(attribute);
            if (current == value)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < until, $"Still {current} rather than {value} after {DeliveryLimit}.");
            await refresh.ClickAsync();
            await Expect(refresh).ToBeEnabledAsync();
        }
    }
}
