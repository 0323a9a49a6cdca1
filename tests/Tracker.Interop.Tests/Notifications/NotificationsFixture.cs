using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Tracker.Notifications.Tests.Sending.Support;
using Tracker.Testing;

namespace Tracker.Interop.Tests.Notifications;

/// <summary>
/// A real Tracker process that may deliver to 127.0.0.1 over http (Notifications:AllowHttp and
/// AllowPrivateTargets), with a real webhook receiver, a real Slack stand-in (the same receiver:
/// it records the raw JSON) and a real SMTP server (aiosmtpd) as its targets.
/// </summary>
public sealed class NotificationsFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _webhookGate = new(1, 1);
    private TrackerProcess? _process;
    private TrackerSettings? _settings;
    private DeliveredWebhook? _webhook;

    public WebhookReceiver Webhooks { get; private set; } = null!;

    public WebhookReceiver Slack { get; private set; } = null!;

    public SmtpReceiver Smtp { get; private set; } = null!;

    /// <summary>The REST endpoint, http://127.0.0.1:port.</summary>
    public Uri HttpUrl => _process!.HttpAddress;

    public string ServerOutput => _process?.Output ?? "";

    public async Task InitializeAsync()
    {
        Webhooks = await WebhookReceiver.StartAsync();
        Slack = await WebhookReceiver.StartAsync();
        Smtp = await SmtpReceiver.StartAsync();
        _settings = TrackerSettings.Sqlite();
        _settings.Environment["Notifications__AllowHttp"] = "true";
        _settings.Environment["Notifications__AllowPrivateTargets"] = "true";
        _settings.Environment["Notifications__Smtp__Host"] = "127.0.0.1";
        _settings.Environment["Notifications__Smtp__Port"] = Smtp.Port.ToString(CultureInfo.InvariantCulture);
        _settings.Environment["Notifications__Smtp__Security"] = "None";
        _settings.Environment["Notifications__Smtp__From"] = "tracker@example.com";
        _process = await TrackerProcess.StartAsync(_settings);
    }

    /// <summary>
    /// Runs a README sh block with bash as written, but for the server's address and the
    /// <paramref name="replacements"/>; returns every JSON value curl printed, in order.
    /// </summary>
    public async Task<IReadOnlyList<JsonElement>> RunShAsync(string block, params (string Old, string New)[] replacements)
    {
        var script = block.Replace("http://localhost:8080", HttpUrl.ToString().TrimEnd('/'), StringComparison.Ordinal);
        foreach (var (old, replacement) in replacements)
        {
            Assert.Contains(old, script);
            script = script.Replace(old, replacement, StringComparison.Ordinal);
        }

        var run = await ClientProcess.RunAsync("bash", ["-e", "-c", script]);
        Assert.True(run.ExitCode == 0, $"{script}{Environment.NewLine}{run}");
        return JsonValues(run.Output);
    }

    /// <summary>
    /// The README's "A webhook" curl, run once: the secret its response carries, and the signed
    /// request the receiver took for a production deployment (the channel's filter).
    /// </summary>
    public async Task<DeliveredWebhook> WebhookAsync()
    {
        await _webhookGate.WaitAsync();
        try
        {
            if (_webhook is null)
            {
                var created = Assert.Single(await RunShAsync(
                    ReadmeNotifications.Block("A webhook", "sh"),
                    ("https://ci.example.com/tracker", Webhooks.Url.ToString())));
                var secret = created.GetProperty("secret").GetString()!;
                Assert.StartsWith("whsec_", secret);
                var eventId = await CreateEventAsync(new
                {
                    title = "Deploy checkout 1.2",
                    attributes = new { type = "TYPE_DEPLOYMENT", environment = "ENVIRONMENT_PRODUCTION", service = "checkout" },
                });
                var received = await Webhooks.WaitForAsync(r => r.Any(w => w.EventId == eventId), TimeSpan.FromSeconds(60));
                var request = received.FirstOrDefault(w => w.EventId == eventId);
                Assert.True(request is not null, $"No webhook for {eventId}.{Environment.NewLine}{ServerOutput}");
                _webhook = new DeliveredWebhook(secret, request);
            }

            return _webhook;
        }
        finally
        {
            _webhookGate.Release();
        }
    }

    /// <summary>Creates an event over REST (POST /api/v1alpha1/event); its id.</summary>
    public async Task<string> CreateEventAsync(object @event)
    {
        using var http = new HttpClient { BaseAddress = HttpUrl };
        using var response = await http.PostAsJsonAsync("/api/v1alpha1/event", @event);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        if (_settings is not null)
        {
            Directory.Delete(_settings.DataDirectory, recursive: true);
        }

        await Webhooks.DisposeAsync();
        await Slack.DisposeAsync();
        Smtp.Dispose();
        _webhookGate.Dispose();
    }

    private static List<JsonElement> JsonValues(string output)
    {
        // curl -s prints each response without a newline: read the values one after another.
        var values = new List<JsonElement>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(output), new JsonReaderOptions { AllowMultipleValues = true });
        while (reader.Read())
        {
            values.Add(JsonElement.ParseValue(ref reader));
        }

        return values;
    }
}

/// <summary>A webhook channel's secret and one request its receiver took.</summary>
public sealed record DeliveredWebhook(string Secret, ReceivedWebhook Request)
{
    /// <summary>The request's Standard Webhooks headers, by their lowercase names.</summary>
    public Dictionary<string, string> Headers => new()
    {
        ["webhook-id"] = Request.Id,
        ["webhook-timestamp"] = Request.Timestamp,
        ["webhook-signature"] = Request.Signature,
    };

    /// <summary>The body with one character changed, which no signature covers.</summary>
    public string TamperedBody => Request.Body.Replace("Deploy checkout 1.2", "Deploy checkout 6.6", StringComparison.Ordinal);
}

[CollectionDefinition(Name)]
public sealed class NotificationsCollection : ICollectionFixture<NotificationsFixture>
{
    public const string Name = "Notifications README";
}
