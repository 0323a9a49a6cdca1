using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Tracker.Events.Watching;

namespace Tracker.Events.Postgres;

/// <summary>
/// Keeps one connection listening on the change log's channel (migration 4's trigger notifies
/// it at every committed write, from any replica) and wakes this process's change feed on each
/// notification. A broken connection is replaced after a second; the feed is woken then too,
/// since a notification may have been missed meanwhile (the feed also polls, see
/// <see cref="WatchOptions.PollInterval"/>).
/// </summary>
internal sealed class PostgresChangeListener(NpgsqlDataSource dataSource, ChangeSignal signal, ILogger<PostgresChangeListener> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or System.Net.Sockets.SocketException)
            {
                PostgresLog.ListenFailed(logger, e, RetryDelay.TotalSeconds);
                signal.Notify();
                try
                {
                    await Task.Delay(RetryDelay, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        var connection = await dataSource.OpenConnectionAsync(stoppingToken).ConfigureAwait(false);
        await using var connectionDisposal = connection.ConfigureAwait(false);
        connection.Notification += (_, _) => signal.Notify();
        var listen = new NpgsqlCommand($"LISTEN {PostgresChangeLog.Channel}", connection);
        await using (listen.ConfigureAwait(false))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
        }

        // Listening from now: whatever was committed before is read by the feed's next round.
        signal.Notify();
        while (true)
        {
            await connection.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
    }
}
