using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tracker.Notifications.Tests.Sending.Support;

/// <summary>One request the receiver got.</summary>
public sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>
/// A real HTTP receiver for webhook and Slack messages: Kestrel on 127.0.0.1 at a free port,
/// recording every request. It answers by path: /status/{code} with that status (and the query's
/// retryAfter and location as headers), /big/{code} with that status and a 1 MiB body, anything
/// else 200 "ok".
/// </summary>
public sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();

    private Receiver(WebApplication app) => _app = app;

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    /// <summary>"http://127.0.0.1:port".</summary>
    public string BaseUrl { get; private set; } = string.Empty;

    public int Port => new Uri(BaseUrl).Port;

    public static async Task<Receiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new Receiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        receiver.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return receiver;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(header => header.Key.ToLowerInvariant(), header => header.Value.ToString());
        _requests.Enqueue(new ReceivedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, headers, body));

        var segments = context.Request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (context.Request.Query["retryAfter"] is { Count: > 0 } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        if (context.Request.Query["location"] is { Count: > 0 } location)
        {
            context.Response.Headers.Location = location;
        }

        switch (segments)
        {
            case ["status", var code]:
                context.Response.StatusCode = int.Parse(code);
                await context.Response.WriteAsync($"status {code} from the receiver", context.RequestAborted);
                break;
            case ["big", var code]:
                context.Response.StatusCode = int.Parse(code);
                await context.Response.WriteAsync("start " + new string('x', 1024 * 1024), context.RequestAborted);
                break;
            default:
                await context.Response.WriteAsync("ok", context.RequestAborted);
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
