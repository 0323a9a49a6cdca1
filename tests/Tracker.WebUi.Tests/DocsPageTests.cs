using Microsoft.Playwright;

namespace Tracker.WebUi.Tests;

/// <summary>
/// Swagger UI at /docs works under its Content-Security-Policy in a real browser: it renders
/// every operation of the OpenAPI document, can call the API, and the browser reports no
/// violation of the policy and no console error.
/// </summary>
public sealed class DocsPageTests(OpenServerFixture fixture) : IClassFixture<OpenServerFixture>
{
    // Records every violation the page reports (CSP level 3: the securitypolicyviolation event).
    private const string RecordViolations =
        "window.cspViolations = []; document.addEventListener('securitypolicyviolation', e => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));";

    [Fact]
    public async Task Docs_UnderItsContentSecurityPolicy_RendersTheOperationsWithoutViolations()
    {
        await using var ui = await fixture.OpenAsync();
        await ui.Page.AddInitScriptAsync(RecordViolations);

        var response = await ui.Page.GotoAsync("/docs/index.html");

        Assert.Contains("script-src 'self'", (await response!.AllHeadersAsync())["content-security-policy"], StringComparison.Ordinal);
        await Assertions.Expect(ui.Page.Locator(".opblock-summary-path").Filter(new() { HasText = "/api/v1alpha1/events/list" })).ToBeVisibleAsync();
        await Assertions.Expect(ui.Page.Locator(".opblock-summary-path").Filter(new() { HasText = "/api/v1alpha1/channels/{name}/deliveries" })).ToBeVisibleAsync();
        Assert.Equal(200, await ui.Page.EvaluateAsync<int>("fetch('/api/v1alpha1/events/list').then(r => r.status)"));
        Assert.Empty(await ui.Page.EvaluateAsync<string[]>("window.cspViolations"));
        ui.AssertNoConsoleErrors();
    }
}
