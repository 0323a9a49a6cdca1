using System.Text.Json.Nodes;

namespace Tracker.Bench.Driver;

/// <summary>Latency samples (milliseconds) and their percentiles, nearest-rank.</summary>
internal sealed class LatencySamples
{
    private readonly List<double> _values = new(1 << 16);

    public int Count => _values.Count;

    public void Add(double milliseconds) => _values.Add(milliseconds);

    public void AddRange(LatencySamples other) => _values.AddRange(other._values);

    public JsonObject Summary(double seconds)
    {
        var sorted = _values.Order().ToArray();
        if (sorted.Length == 0)
        {
            // JSON has no NaN: no samples, no percentiles.
            return new JsonObject { ["calls"] = 0, ["per_second"] = 0 };
        }

        double P(double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new JsonObject
        {
            ["calls"] = sorted.Length,
            ["per_second"] = Math.Round(sorted.Length / seconds, 1),
            ["mean_ms"] = Math.Round(sorted.Length == 0 ? double.NaN : sorted.Average(), 3),
            ["p50_ms"] = Math.Round(P(50), 3),
            ["p90_ms"] = Math.Round(P(90), 3),
            ["p99_ms"] = Math.Round(P(99), 3),
            ["p999_ms"] = Math.Round(P(99.9), 3),
            ["max_ms"] = Math.Round(sorted.Length == 0 ? double.NaN : sorted[^1], 3),
        };
    }
}

/// <summary>
/// Samples a process's resident memory from /proc/PID/status (VmRSS) while a load runs; VmHWM is
/// the kernel's own high-water mark since the process started.
/// </summary>
internal sealed class RssSampler : IAsyncDisposable
{
    private readonly int _pid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _maxKb;

    private RssSampler(int pid)
    {
        _pid = pid;
        _loop = Task.Run(LoopAsync);
    }

    public static RssSampler? Start(int? pid) => pid is { } p ? new RssSampler(p) : null;

    public static long? ReadKb(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                {
                    return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }

    public async Task<JsonObject> StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        return new JsonObject
        {
            ["pid"] = _pid,
            ["rss_max_mb"] = Math.Round(_maxKb / 1024.0, 1),
            ["rss_end_mb"] = Math.Round((ReadKb(_pid, "VmRSS") ?? 0) / 1024.0, 1),
            ["hwm_mb"] = Math.Round((ReadKb(_pid, "VmHWM") ?? 0) / 1024.0, 1),
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            if (ReadKb(_pid, "VmRSS") is { } kb && kb > _maxKb)
            {
                _maxKb = kb;
            }

            try
            {
                await Task.Delay(100, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
