using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tracker.Bench.Driver;

/// <summary>
/// Scenario k's webhook receiver: a Kestrel endpoint on 127.0.0.1 (a port of its own) that takes
/// every POST to <c>/hook</c>, keeps its arrival time (this machine's clock, as the server's
/// change_time is), its <c>webhook-id</c> header (Standard Webhooks) and its body, and answers
/// 204 at once. Bodies are read after the run (<see cref="Receipt.Parse"/>), so the receiving
/// path does no more than a receiver that queues its work.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    // Webhook bodies are one event each; anything past this is cut, and the receipt then unreadable.
    private const int MaxBody = 256 * 1024;

    private readonly WebApplication _app;
    private readonly List<(DateTimeOffset At, string? WebhookId, byte[] Body)> _receipts = new(1 << 16);

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>The URL channels are pointed at: http://127.0.0.1:PORT/hook.</summary>
    public Uri Url { get; private set; } = null!;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", receiver.ReceiveAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(new Uri(address), "/hook");
        return receiver;
    }

    /// <summary>How many requests have arrived.</summary>
    public int Count
    {
        get
        {
            lock (_receipts)
            {
                return _receipts.Count;
            }
        }
    }

    /// <summary>The requests that arrived after the first <paramref name="from"/>, parsed.</summary>
    public List<Receipt> Since(int from)
    {
        List<(DateTimeOffset, string?, byte[])> raw;
        lock (_receipts)
        {
            raw = _receipts.GetRange(from, _receipts.Count - from);
        }

        return raw.Select(r => Receipt.Parse(r.Item1, r.Item2, r.Item3)).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        var at = DateTimeOffset.UtcNow;
        using var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0 && body.Length < MaxBody)
        {
            body.Write(buffer, 0, read);
        }

        var id = context.Request.Headers["webhook-id"].ToString();
        lock (_receipts)
        {
            _receipts.Add((at, id.Length == 0 ? null : id, body.ToArray()));
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}

/// <summary>
/// One webhook request as received: when, its webhook-id, and from its JSON body (a
/// WebhookPayload, proto JSON) the channel, the event's id and the change_time; null where the
/// body did not say (an unreadable body has no event id).
/// </summary>
internal sealed record Receipt(DateTimeOffset At, string? WebhookId, string? Channel, string? EventId, DateTimeOffset? ChangeTime, bool Test)
{
    public static Receipt Parse(DateTimeOffset at, string? webhookId, byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            string? Text(JsonElement element, params string[] names)
            {
                foreach (var name in names)
                {
                    if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                    {
                        return value.GetString();
                    }
                }

                return null;
            }

            var changeTime = Text(root, "changeTime", "change_time") is { } time
                ? DateTimeOffset.Parse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
                : (DateTimeOffset?)null;
            var eventId = root.TryGetProperty("event", out var e) ? Text(e, "id") : null;
            var test = root.TryGetProperty("test", out var t) && t.ValueKind == JsonValueKind.True;
            return new Receipt(at, webhookId, Text(root, "channel"), eventId, changeTime, test);
        }
        catch (JsonException)
        {
            return new Receipt(at, webhookId, null, null, null, false);
        }
    }
}
