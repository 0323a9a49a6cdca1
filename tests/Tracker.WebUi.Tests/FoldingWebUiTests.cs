using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Tracker.WebUi.Tests;

/// <summary>
/// A folded event on the timeline (README, "Folding repeated events" and "Web UI"): its row
/// shows how many times it was seen (×N, read out as "Seen N times") and when it was last seen,
/// follows new sightings live, and fits a 360 px screen; an event seen once shows neither.
/// </summary>
public sealed class FoldingWebUiTests(OpenServerFixture fixture) : IClassFixture<OpenServerFixture>
{
    private static string NewService() => "svc-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Timeline_FoldedEvent_ShowsItsCountAndLastSeenTime_AndFollowsNewSightings()
    {
        var service = NewService();
        await fixture.CreateEventAsync(Sighting(service, "Deploy once", key: null));
        JsonElement folded = default;
        for (var i = 0; i < 3; i++)
        {
            folded = await fixture.CreateEventAsync(Sighting(service, "Disk 95% full on db-1", "disk-full/db-1"));
        }

        Assert.Equal(3, folded.GetProperty("count").GetInt32());
        await using var ui = await fixture.OpenAsync();
        await ui.GotoAsync($"/?service={service}");

        var row = ui.Page.Locator("li.event", new() { HasText = "Disk 95% full on db-1" });
        await Expect(row.Locator(".fold-count")).ToHaveTextAsync("×3");
        await Expect(row.Locator(".fold-count")).ToHaveAttributeAsync("aria-hidden", "true");
        await Expect(row.Locator("time.last-seen")).ToHaveAttributeAsync("title", UtcText(folded.GetProperty("lastSeenAt")));
        await Expect(row.Locator("time.last-seen")).ToHaveTextAsync(new Regex("^(just now|.* ago)$"));
        // What a screen reader reads: the words, not the glyph.
        var spoken = await row.Locator(".folded").AriaSnapshotAsync();
        Assert.Contains("Seen 3 times, last seen", spoken, StringComparison.Ordinal);
        Assert.DoesNotContain("×", spoken, StringComparison.Ordinal);
        await Expect(ui.Page.Locator("li.event", new() { HasText = "Deploy once" }).Locator(".folded")).ToHaveCountAsync(0);

        // One more sighting: the row counts it without a reload.
        var fourth = await fixture.CreateEventAsync(Sighting(service, "Disk 95% full on db-1", "disk-full/db-1"));
        await Expect(row.Locator(".fold-count")).ToHaveTextAsync("×4");
        await Expect(row.Locator("time.last-seen")).ToHaveAttributeAsync("title", UtcText(fourth.GetProperty("lastSeenAt")));
        await Expect(ui.Page.Locator("li.event")).ToHaveCountAsync(2);

        await ui.ScreenshotAsync(nameof(Timeline_FoldedEvent_ShowsItsCountAndLastSeenTime_AndFollowsNewSightings));
        ui.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Timeline_FoldedEventAt360PixelsWide_ShowsCountAndLastSeenWithinTheScreen()
    {
        // The longest service the server takes (128 characters), without a break.
        var service = NewService().PadRight(128, 'x');
        for (var i = 0; i < 12; i++)
        {
            await fixture.CreateEventAsync(Sighting(service, "Certificate of api.example.com expires in 3 days", "cert-expiry/api"));
        }

        await using var ui = await fixture.OpenAsync(width: 360, height: 780);
        await ui.GotoAsync($"/?service={service}");

        var row = ui.Page.Locator("li.event");
        await Expect(row.Locator(".fold-count")).ToHaveTextAsync("×12");
        await row.ScrollIntoViewIfNeededAsync();
        await Expect(row.Locator(".fold-count")).ToBeInViewportAsync();
        await Expect(row.Locator("time.last-seen")).ToBeInViewportAsync();
        var width = await ui.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= 360, $"The timeline is {width} px wide at 360 px.");
        foreach (var part in new[] { row.Locator(".fold-count"), row.Locator("time.last-seen") })
        {
            var box = (await part.BoundingBoxAsync())!;
            Assert.True(box.X >= 0 && box.X + box.Width <= 360, $"A part of the folded row reaches {box.X + box.Width} px at 360 px.");
        }

        await ui.ScreenshotAsync(nameof(Timeline_FoldedEventAt360PixelsWide_ShowsCountAndLastSeenWithinTheScreen));
        ui.AssertNoConsoleErrors();
    }

    /// <summary>A create that folds into the newest event with the same key (300 s window), or a plain one without a key.</summary>
    private static JsonObject Sighting(string service, string title, string? key)
    {
        var body = new JsonObject
        {
            ["title"] = title,
            ["attributes"] = new JsonObject { ["type"] = "TYPE_DRIFT", ["service"] = service, ["severity"] = "SEVERITY_WARNING" },
        };
        if (key is not null)
        {
            body["aggregationKey"] = key;
            body["foldWindow"] = "300s";
        }

        return body;
    }

    // As the page writes a time's title: '2026-11-30 14:05:09 UTC'.
    private static string UtcText(JsonElement timestamp) =>
        DateTimeOffset.Parse(timestamp.GetString()!, CultureInfo.InvariantCulture).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
