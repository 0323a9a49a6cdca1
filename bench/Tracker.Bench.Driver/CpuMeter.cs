using System.Globalization;
using System.Text.Json.Nodes;

namespace Tracker.Bench.Driver;

/// <summary>
/// CPU time spent during a measured run, by whom: the server process, PostgreSQL (its live
/// processes plus what the postmaster reaped from exited backends), the load tool (the
/// children this driver waited for), this driver, and everything else on the machine (from
/// /proc/stat). Read from /proc in clock ticks (USER_HZ = 100). On a 2-core machine shared by
/// all of them, CPU per event is what bounds events per second.
/// </summary>
internal sealed class CpuMeter
{
    private const double MillisecondsPerTick = 10;
    private readonly int? _serverPid;
    private readonly Snapshot _start;

    private CpuMeter(int? serverPid)
    {
        _serverPid = serverPid;
        _start = Take(serverPid);
    }

    public static CpuMeter Start(int? serverPid) => new(serverPid);

    /// <summary>CPU milliseconds per unit of work (event or call) for each party, and the machine's busy share.</summary>
    public JsonObject Stop(long work, double seconds)
    {
        var end = Take(_serverPid);
        var server = end.Server - _start.Server;
        var postgres = end.Postgres - _start.Postgres;
        var tool = end.Children - _start.Children;
        var driver = end.Self - _start.Self;
        var busy = end.MachineBusy - _start.MachineBusy;
        var total = end.MachineTotal - _start.MachineTotal;
        var others = Math.Max(0, busy - server - postgres - tool - driver);
        double PerWork(long ticks) => work == 0 ? double.NaN : Math.Round(ticks * MillisecondsPerTick / work, 4);
        return new JsonObject
        {
            ["cpu_ms_per_unit"] = new JsonObject
            {
                ["server"] = PerWork(server),
                ["postgres"] = PerWork(postgres),
                ["load_tool"] = PerWork(tool),
                ["driver"] = PerWork(driver),
                ["others"] = PerWork(others),
            },
            ["cores_busy"] = Math.Round(busy * MillisecondsPerTick / 1000 / seconds, 2),
            ["cores_busy_by_others"] = Math.Round(others * MillisecondsPerTick / 1000 / seconds, 2),
            ["machine_busy_percent"] = total == 0 ? 0 : Math.Round(100.0 * busy / total, 1),
        };
    }

    private static Snapshot Take(int? serverPid)
    {
        var self = Stat("self");
        long postgres = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(directory);
            if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                continue;
            }

            if (Stat(name) is { Command: "postgres" } process)
            {
                // The postmaster's reaped children hold the CPU of backends that have exited.
                postgres += process.Own + process.Reaped;
            }
        }

        var (busy, total) = Machine();
        return new Snapshot(
            Server: serverPid is { } pid ? Stat(pid.ToString(CultureInfo.InvariantCulture))?.Own ?? 0 : 0,
            Postgres: postgres,
            Children: self?.Reaped ?? 0,
            Self: self?.Own ?? 0,
            MachineBusy: busy,
            MachineTotal: total);
    }

    private static ProcessTicks? Stat(string pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var open = text.IndexOf('(', StringComparison.Ordinal);
            var close = text.LastIndexOf(')');
            var fields = text[(close + 2)..].Split(' ');
            long F(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);

            // Fields 14-17 of proc(5): utime, stime, cutime, cstime.
            return new ProcessTicks(text[(open + 1)..close], F(14) + F(15), F(16) + F(17));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static (long Busy, long Total) Machine()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Take(8).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var idle = cpu[3] + cpu[4];
        var total = cpu.Sum();
        return (total - idle, total);
    }

    private sealed record ProcessTicks(string Command, long Own, long Reaped);

    private sealed record Snapshot(long Server, long Postgres, long Children, long Self, long MachineBusy, long MachineTotal);
}
