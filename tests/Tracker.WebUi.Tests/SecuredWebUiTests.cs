using System.Security.Cryptography;
using System.Text;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Tracker.WebUi.Tests;

/// <summary>The server with API keys required (Auth:Mode ApiKey, README "Securing Tracker").</summary>
public sealed class SecuredServerFixture : WebUiFixture
{
    public const string Key = "trk_webui-test-key-0123456789";

    protected override string? Credential => Key;

    protected override void Configure(Dictionary<string, string> environment)
    {
        environment["Auth__Mode"] = "ApiKey";
        environment["Auth__ApiKeys__webui__Hash"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key)));
        environment["Auth__ApiKeys__webui__Scopes__0"] = "events:read";
        environment["Auth__ApiKeys__webui__Scopes__1"] = "events:write";
    }
}

/// <summary>
/// With authentication on, the page loads without credentials, asks for an API key when the API
/// answers 401, keeps it in sessionStorage only and sends it as a bearer token.
/// </summary>
public sealed class SecuredWebUiTests(SecuredServerFixture fixture) : IClassFixture<SecuredServerFixture>
{
    [Fact]
    public async Task ApiKey_WhenTheApiAnswers401_IsAskedForKeptInSessionStorageAndSent()
    {
        await fixture.CreateEventAsync(new { title = "Guarded deploy", attributes = new { type = "TYPE_DEPLOYMENT", service = "guarded" } });
        await using var ui = await fixture.OpenAsync();

        // The page itself needs no key; the API calls it makes do.
        var response = await ui.Page.GotoAsync("/");
        Assert.Equal(200, response!.Status);
        var dialog = ui.Page.GetByRole(AriaRole.Dialog, new() { Name = "API key needed" });
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog).ToContainTextAsync("credentials");
        await Expect(dialog.GetByLabel("API key or token")).ToBeFocusedAsync();
        await ui.ScreenshotAsync(nameof(ApiKey_WhenTheApiAnswers401_IsAskedForKeptInSessionStorageAndSent) + "_Dialog");

        // A wrong key is refused, and asked for again.
        await dialog.GetByLabel("API key or token").FillAsync("trk_wrong");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Use this key" }).ClickAsync();
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog).ToContainTextAsync("The key was refused");

        await dialog.GetByLabel("API key or token").FillAsync(SecuredServerFixture.Key);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Use this key" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(ui.Page.Locator("li.event .event-title")).ToHaveTextAsync(["Guarded deploy"]);
        await Expect(ui.Page.Locator("#live-status")).ToHaveAttributeAsync("data-state", "live");

        Assert.Equal(SecuredServerFixture.Key, await ui.Page.EvaluateAsync<string>("() => sessionStorage.getItem('tracker.apiKey')"));
        Assert.Equal(0, await ui.Page.EvaluateAsync<int>("() => localStorage.length"));
        Assert.Equal(string.Empty, await ui.Page.EvaluateAsync<string>("() => document.cookie"));

        // A reload in the same tab keeps the key; forgetting it asks again.
        await ui.GotoAsync("/");
        await Expect(ui.Page.Locator("li.event .event-title")).ToHaveTextAsync(["Guarded deploy"]);
        await Expect(dialog).ToBeHiddenAsync();
        await ui.ScreenshotAsync(nameof(ApiKey_WhenTheApiAnswers401_IsAskedForKeptInSessionStorageAndSent));
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Forget API key" }).ClickAsync();
        await Expect(dialog).ToBeVisibleAsync();
        Assert.Null(await ui.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('tracker.apiKey')"));
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(ui.Page.Locator(".problem")).ToContainTextAsync("API key");
        ui.AssertNoConsoleErrors(401);
    }
}
