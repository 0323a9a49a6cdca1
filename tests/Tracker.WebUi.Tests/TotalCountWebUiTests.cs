using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Tracker.WebUi.Tests;

/// <summary>The server counting up to 1,000 matches (Tracker:Search:CountLimit), so that a test can pass it with a thousand events.</summary>
public sealed class CountLimitServerFixture : WebUiFixture
{
    public const int CountLimit = 1_000;

    protected override void Configure(Dictionary<string, string> environment) =>
        environment["Tracker__Search__CountLimit"] = CountLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// Past the server's count limit the timeline says how many events it counted, with a '+'
/// (README, "Web UI" and "Searching"), in the locale's grouping; below it, the exact count.
/// </summary>
public sealed class TotalCountWebUiTests(CountLimitServerFixture fixture) : IClassFixture<CountLimitServerFixture>
{
    [Fact]
    public async Task Timeline_MoreMatchesThanTheCountLimit_ShowsTheLimitWithAPlus()
    {
        var service = "svc-" + Guid.NewGuid().ToString("N")[..10];
        await CreateAsync(service, CountLimitServerFixture.CountLimit + 5);

        await using var ui = await fixture.OpenAsync();
        await ui.GotoAsync($"/?service={service}");
        await Expect(ui.Page.Locator(".summary")).ToHaveTextAsync("Showing 50 of 1,000+ events matching the filters.");

        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Load more" }).ClickAsync();
        await Expect(ui.Page.Locator("li.event .event-title")).ToHaveCountAsync(100);
        await Expect(ui.Page.Locator(".summary")).ToHaveTextAsync("Showing 100 of 1,000+ events matching the filters.");
        await ui.ScreenshotAsync(nameof(Timeline_MoreMatchesThanTheCountLimit_ShowsTheLimitWithAPlus));
        ui.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Timeline_MatchesUpToTheCountLimit_ShowsTheExactCount()
    {
        var service = "svc-" + Guid.NewGuid().ToString("N")[..10];
        await CreateAsync(service, 3);

        await using var ui = await fixture.OpenAsync();
        await ui.GotoAsync($"/?service={service}");

        await Expect(ui.Page.Locator(".summary")).ToHaveTextAsync("Showing 3 of 3 events matching the filters.");
        ui.AssertNoConsoleErrors();
    }

    // A few at a time: the server's concurrency limit would refuse a thousand at once.
    private async Task CreateAsync(string service, int count) =>
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
            await fixture.CreateEventAsync(new JsonObject
            {
                ["title"] = $"Batch job {i:D4}",
                ["attributes"] = new JsonObject { ["type"] = "TYPE_RPA_USAGE", ["service"] = service },
            }));
}
