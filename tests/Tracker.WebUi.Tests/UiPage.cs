using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Tracker.WebUi.Tests;

/// <summary>
/// A browser page on the fixture's server that records every console error and uncaught page
/// error, and saves screenshots where a reviewer can look at them: TRACKER_WEBUI_SCREENSHOTS, or
/// TestResults/screenshots/ beside the test assembly (under bin/, so never in the work tree).
/// </summary>
public sealed class UiPage : IAsyncDisposable
{
    /// <summary>How long a Playwright action or expectation may wait before the test fails.</summary>
    public const float TimeoutMs = 15_000;

    private readonly IBrowserContext _context;
    private readonly ConcurrentQueue<string> _errors = new();

    private UiPage(IBrowserContext context, IPage page, Uri baseAddress)
    {
        _context = context;
        Page = page;
        BaseAddress = baseAddress;
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                _errors.Enqueue($"console.{message.Type}: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => _errors.Enqueue($"page error: {error}");
    }

    public IPage Page { get; }

    public Uri BaseAddress { get; }

    public static string ScreenshotDirectory =>
        Environment.GetEnvironmentVariable("TRACKER_WEBUI_SCREENSHOTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public static async Task<UiPage> OpenAsync(WebUiFixture fixture, int width, int height, string timeZone)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.Server.HttpAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            TimezoneId = timeZone,
            Locale = "en-GB",
        }).WaitAsync(TimeSpan.FromMilliseconds(TimeoutMs));
        context.SetDefaultTimeout(TimeoutMs);
        var page = await context.NewPageAsync().WaitAsync(TimeSpan.FromMilliseconds(TimeoutMs));
        Assertions.SetDefaultExpectTimeout(TimeoutMs);
        return new UiPage(context, page, fixture.Server.HttpAddress);
    }

    /// <summary>Opens a URL of the UI and waits until its view has rendered.</summary>
    public async Task GotoAsync(string url)
    {
        await Page.GotoAsync(url);
        await WaitReadyAsync();
    }

    /// <summary>Waits until the view has rendered (html[data-ready] names it).</summary>
    public Task WaitReadyAsync() =>
        Page.Locator("html[data-ready]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

    /// <summary>Saves a full-page screenshot named after the test.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    /// <summary>
    /// Fails when the page logged a console error or warning or threw, apart from the browser's
    /// own line for an HTTP status the test caused on purpose (e.g. "status of 400").
    /// </summary>
    public void AssertNoConsoleErrors(params int[] expectedStatuses)
    {
        var unexpected = _errors
            .Where(error => !expectedStatuses.Any(status => error.Contains($"the server responded with a status of {status}", StringComparison.Ordinal)))
            .ToArray();
        Assert.True(unexpected.Length == 0, "The page logged errors:\n" + string.Join('\n', unexpected));
    }

    public async ValueTask DisposeAsync() =>
        await _context.CloseAsync().WaitAsync(TimeSpan.FromMilliseconds(TimeoutMs));
}
