using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tracker.Testing;

/// <summary>One request a <see cref="WebhookReceiver"/> took: its Standard Webhooks headers and its JSON body.</summary>
public sealed record ReceivedWebhook(string Id, string Timestamp, string Signature, string Body, DateTimeOffset ReceivedAt)
{
    private JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>The payload's changeId.</summary>
    public string ChangeId => Json.GetProperty("changeId").GetString() ?? string.Empty;

    /// <summary>The payload's event id.</summary>
    public string EventId => Json.GetProperty("event").GetProperty("id").GetString() ?? string.Empty;

    /// <summary>The payload's channel.</summary>
    public string Channel => Json.GetProperty("channel").GetString() ?? string.Empty;
}

/// <summary>How a <see cref="WebhookReceiver"/> answers one request: a status, after a delay, with a Retry-After header when set.</summary>
public sealed record WebhookAnswer(int Status, TimeSpan Delay = default, string? RetryAfter = null)
{
    public static WebhookAnswer NoContent { get; } = new(204);
}

/// <summary>
/// A real HTTP receiver on 127.0.0.1 (Kestrel, an ephemeral port) that records every request it
/// answers. <see cref="Answer"/> decides the status of each (default 204), and can hold a
/// request for a while, as a slow receiver does.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>Decides each request's answer: a status code, and how long to wait before giving it.</summary>
    public Func<ReceivedWebhook, WebhookAnswer> Answer { get; set; } = _ => WebhookAnswer.NoContent;

    /// <summary>The URL to post to: http://127.0.0.1:port/hook.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Every request answered so far, in the order they arrived.</summary>
    public IReadOnlyList<ReceivedWebhook> Received => _received.ToArray();

    /// <summary>Starts a receiver on <paramref name="port"/> of 127.0.0.1, or on an ephemeral port when it is 0.</summary>
    public static async Task<WebhookReceiver> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", receiver.TakeAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(new Uri(address), "/hook");
        return receiver;
    }

    /// <summary>Waits until <paramref name="done"/> holds for what was received, polling, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(Func<IReadOnlyList<ReceivedWebhook>, bool> done, TimeSpan limit)
    {
        var deadline = DateTimeOffset.UtcNow + limit;
        while (true)
        {
            var received = Received;
            if (done(received) || DateTimeOffset.UtcNow > deadline)
            {
                return received;
            }

            await Task.Delay(50);
        }
    }

    private async Task<IResult> TakeAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        var webhook = new ReceivedWebhook(
            request.Headers["webhook-id"].ToString(),
            request.Headers["webhook-timestamp"].ToString(),
            request.Headers["webhook-signature"].ToString(),
            body,
            DateTimeOffset.UtcNow);
        var answer = Answer(webhook);
        if (answer.Delay > TimeSpan.Zero)
        {
            await Task.Delay(answer.Delay, request.HttpContext.RequestAborted);
        }

        _received.Enqueue(webhook);
        if (answer.RetryAfter is { } retryAfter)
        {
            request.HttpContext.Response.Headers.RetryAfter = retryAfter;
        }

        return Results.StatusCode(answer.Status);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
