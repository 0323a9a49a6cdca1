using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tracker.Events.Storage;

namespace Tracker.Events.Hosting;

/// <summary>Brings the store's schema up to date before the server takes calls.</summary>
internal sealed class EventStoreMigrationService(IEventStore store, ILogger<EventStoreMigrationService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
        EventLog.StoreMigrated(logger);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
