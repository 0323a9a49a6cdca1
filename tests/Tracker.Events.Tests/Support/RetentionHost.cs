using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Tracker.Events.Hosting;
using Tracker.Events.Retention;
using Tracker.Events.Storage;
using Tracker.Events.Watching;

namespace Tracker.Events.Tests.Support;

/// <summary>
/// The services AddTrackerEvents registers, over a given store and a FakeTimeProvider, with fake
/// logging and the "Tracker.Retention" counter collected: the retention service as a host runs it.
/// </summary>
public sealed class RetentionHost : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    public RetentionHost(IEventStore store, FakeTimeProvider time, Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddFakeLogging();
        services.AddMetrics();
        services.AddSingleton<IHostApplicationLifetime, Microsoft.Extensions.Hosting.Internal.ApplicationLifetime>();
        services.AddSingleton(store);
        services.AddSingleton<TimeProvider>(time);
        services.AddTrackerEvents(configuration);
        _provider = services.BuildServiceProvider();

        // Listening before the service exists, so no measurement is missed.
        Deletions = new MetricCollector<long>(_provider.GetRequiredService<IMeterFactory>(), RetentionMetrics.MeterName, RetentionMetrics.DeletionsName);
        Service = _provider.GetServices<IHostedService>().OfType<RetentionService>().Single();
    }

    /// <summary>The service as the host would start it.</summary>
    public RetentionService Service { get; }

    /// <summary>Every measurement of tracker.retention.deletions from this host's meter factory.</summary>
    public MetricCollector<long> Deletions { get; }

    /// <summary>Everything logged in this host.</summary>
    public FakeLogCollector Logs => _provider.GetRequiredService<FakeLogCollector>();

    /// <summary>What wakes this process's watchers.</summary>
    public ChangeSignal Signal => _provider.GetRequiredService<ChangeSignal>();

    /// <summary>The retention log entries, by event id (4100 off, 4101 on, 4102 deleted, 4103 store unavailable).</summary>
    public IReadOnlyList<FakeLogRecord> RetentionLogs(int eventId) =>
        Logs.GetSnapshot().Where(r => r.Category == typeof(RetentionService).FullName && r.Id.Id == eventId).ToList();

    /// <summary>Waits (bounded) until a retention entry with <paramref name="eventId"/> satisfying <paramref name="match"/> is logged.</summary>
    public async Task<FakeLogRecord> WaitForLogAsync(int eventId, Func<FakeLogRecord, bool>? match = null)
    {
        using var timeout = new CancellationTokenSource(TestTimeout.Default);
        while (true)
        {
            if (RetentionLogs(eventId).FirstOrDefault(match ?? (_ => true)) is { } record)
            {
                return record;
            }

            await Task.Delay(10, timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Service.StopAsync(CancellationToken.None).Bounded();
        Deletions.Dispose();
        await _provider.DisposeAsync();
    }
}
