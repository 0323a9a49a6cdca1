namespace Tracker.Bench.Driver;

internal static class Report
{
    public static Task WriteAsync(Options options) => Task.CompletedTask;
}
