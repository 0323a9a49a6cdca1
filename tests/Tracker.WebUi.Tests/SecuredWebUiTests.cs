using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Tracker.WebUi.Tests;

/// <summary>The server with API keys required (Auth:Mode ApiKey, README "Securing Tracker").</summary>
public sealed class SecuredServerFixture : WebUiFixture
{
    public const string Key = "trk_webui-test-key-0123456789";

    /// <summary>A key with every scope, for what the page's key may not do (creating channels).</summary>
    public const string AdminKey = "trk_webui-admin-key-0123456789";

    protected override string? Credential => Key;

    protected override void Configure(Dictionary<string, string> environment)
    {
        environment["Auth__Mode"] = "ApiKey";
        environment["Auth__ApiKeys__webui__Hash"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key)));
        environment["Auth__ApiKeys__webui__Scopes__0"] = "events:read";
        environment["Auth__ApiKeys__webui__Scopes__1"] = "events:write";
        environment["Auth__ApiKeys__ops__Hash"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(AdminKey)));
        environment["Auth__ApiKeys__ops__Scopes__0"] = "admin";
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

    [Fact]
    public async Task Notifications_SendTestWithAKeyWithoutTheAdminScope_ShowsTheApisRefusal()
    {
        var name = "guarded-" + Guid.NewGuid().ToString("N")[..10];
        using var admin = new HttpClient { BaseAddress = fixture.Server.HttpAddress, Timeout = TimeSpan.FromSeconds(30) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SecuredServerFixture.AdminKey);
        using (var created = await admin.PostAsJsonAsync("/api/v1alpha1/channels", new { name, kind = "CHANNEL_KIND_WEBHOOK", url = "https://hooks.example.com/tracker" }))
        {
            Assert.True(created.IsSuccessStatusCode, $"CreateChannel answered {(int)created.StatusCode}: {await created.Content.ReadAsStringAsync()}");
        }

        // What the API answers the page's key (events:read and events:write) for a test message.
        using var refused = await fixture.Api.PostAsJsonAsync($"/api/v1alpha1/channels/{name}:test", new { });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var message = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString();

        await using var ui = await fixture.OpenAsync();
        await ui.Page.GotoAsync("/?view=notifications");
        var dialog = ui.Page.GetByRole(AriaRole.Dialog, new() { Name = "API key needed" });
        await dialog.GetByLabel("API key or token").FillAsync(SecuredServerFixture.Key);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Use this key" }).ClickAsync();
        var row = ui.Page.Locator($"tr[data-channel=\"{name}\"]");
        await Expect(row.Locator("th")).ToHaveTextAsync(name);

        await row.GetByRole(AriaRole.Button, new() { Name = "Send test to " + name }).ClickAsync();
        await Expect(ui.Page.Locator(".channel-list .action-result")).ToHaveTextAsync($"The test message to {name} was not sent: {message}");
        await ui.ScreenshotAsync(nameof(Notifications_SendTestWithAKeyWithoutTheAdminScope_ShowsTheApisRefusal));
        ui.AssertNoConsoleErrors(401, 403);
    }
}
