using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tracker.Grpc.Transcoding;
using Xunit;

namespace Tracker.Grpc.Tests.Transcoding;

/// <summary>
/// A real Kestrel server on 127.0.0.1 with a free port, serving the test WidgetService as
/// REST, and an HttpClient pointed at it. Log records are kept for assertions.
/// </summary>
public sealed class TranscodingServerFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public HttpClient Client { get; private set; } = null!;

    public ConcurrentQueue<(LogLevel Level, string Message, Exception? Exception)> Logs { get; } = new();

    public static Stream OpenProtoset() =>
        typeof(TranscodingServerFixture).Assembly.GetManifestResourceStream("transcoding-test.protoset")
        ?? throw new InvalidOperationException("The test descriptor set is not embedded.");

    public T GetService<T>()
        where T : notnull => _app!.Services.GetRequiredService<T>();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new CapturingLoggerProvider(Logs));
        builder.Services.AddSingleton<WidgetServiceImpl>();
        builder.Services.AddGrpcTranscoding(options =>
        {
            using var protoset = OpenProtoset();
            options.AddSourceInfo(protoset);
            options.OpenApiTitle = "Widgets";
        });

        _app = builder.Build();
        _app.MapGrpcService<WidgetServiceImpl>(WidgetServiceImpl.Descriptor);
        _app.MapGrpcTranscoding();
        await _app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Client = new HttpClient { BaseAddress = new Uri(_app.Urls.Single()), Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await _app.DisposeAsync();
        }
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<(LogLevel, string, Exception?)> logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(logs);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(ConcurrentQueue<(LogLevel, string, Exception?)> logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs.Enqueue((logLevel, formatter(state, exception), exception));
    }
}
