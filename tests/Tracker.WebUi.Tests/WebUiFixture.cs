using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Tracker.Testing;

namespace Tracker.WebUi.Tests;

/// <summary>
/// One real Tracker process (SQLite, its own directory) and one headless chromium, shared by the
/// tests of a class. The browser is Debian's chromium at <see cref="ChromiumPath"/>, launched by
/// Playwright: Playwright's own browser builds cannot be downloaded here.
/// </summary>
public abstract class WebUiFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(90);

    private IPlaywright? _playwright;

    public TrackerProcess Server { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The REST API, with the fixture's credential when it has one.</summary>
    public HttpClient Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"The web UI tests need Debian's chromium at {ChromiumPath}; run `bash build/setup.sh` (or `apt-get install chromium`) first.");
        }

        var settings = TrackerSettings.Sqlite();
        Configure(settings.Environment);
        Server = await TrackerProcess.StartAsync(settings).WaitAsync(StartLimit);
        Api = new HttpClient { BaseAddress = Server.HttpAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (Credential is { } key)
        {
            Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        _playwright = await Playwright.CreateAsync().WaitAsync(StartLimit);
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Timeout = (float)StartLimit.TotalMilliseconds,
        }).WaitAsync(StartLimit);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync().WaitAsync(StartLimit);
        }

        _playwright?.Dispose();
        Api?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
            Directory.Delete(Server.Settings.DataDirectory, recursive: true);
        }
    }

    /// <summary>The API key the fixture's own REST calls send, when authentication is on.</summary>
    protected virtual string? Credential => null;

    /// <summary>Adds the server's settings (environment variables).</summary>
    protected virtual void Configure(Dictionary<string, string> environment)
    {
    }

    /// <summary>A new browser context and page, e.g. 1280 x 900 in a given time zone.</summary>
    public Task<UiPage> OpenAsync(int width = 1280, int height = 900, string timeZone = "Europe/Paris") =>
        UiPage.OpenAsync(this, width, height, timeZone);

    /// <summary>Creates an event through REST; returns the created event.</summary>
    public async Task<JsonElement> CreateEventAsync(object body)
    {
        using var response = await Api.PostAsJsonAsync("/api/v1alpha1/event", body).WaitAsync(TimeSpan.FromSeconds(30));
        var text = await response.Content.ReadAsStringAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(response.IsSuccessStatusCode, $"CreateEvent answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Updates an event through REST (PUT, fields present in the body).</summary>
    public async Task<JsonElement> UpdateEventAsync(JsonObject body)
    {
        using var response = await Api.PutAsJsonAsync("/api/v1alpha1/event", body).WaitAsync(TimeSpan.FromSeconds(30));
        var text = await response.Content.ReadAsStringAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(response.IsSuccessStatusCode, $"UpdateEvent answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Reads events through REST (ListEvents with a filter).</summary>
    public async Task<JsonElement> ListEventsAsync(string filter)
    {
        var url = "/api/v1alpha1/events/list?pageSize=1000&filter=" + Uri.EscapeDataString(filter);
        var text = await Api.GetStringAsync(url).WaitAsync(TimeSpan.FromSeconds(30));
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}

/// <summary>The server with authentication off (the default).</summary>
public sealed class OpenServerFixture : WebUiFixture
{
}
