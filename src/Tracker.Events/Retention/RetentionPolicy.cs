using System.Globalization;
using Tracker.Events.Storage;
using Type = Tracker.Api.V1Alpha1.Type;

namespace Tracker.Events.Retention;

/// <summary>
/// The retention that applies to each event type, from validated <see cref="RetentionOptions"/>:
/// its entry in Types, else Default, else none (kept forever). Every value of
/// tracker.event.v1alpha1.Type gets one, TYPE_UNSPECIFIED too, so that Default covers every
/// stored event.
/// </summary>
internal sealed class RetentionPolicy
{
    private readonly TimeSpan? _default;
    private readonly IReadOnlyDictionary<Type, TimeSpan> _overrides;
    private readonly IReadOnlyDictionary<Type, TimeSpan> _retentions;

    private RetentionPolicy(TimeSpan? fallback, IReadOnlyDictionary<Type, TimeSpan> overrides)
    {
        _default = fallback;
        _overrides = overrides;
        var retentions = new Dictionary<Type, TimeSpan>();
        foreach (var type in Enum.GetValues<Type>())
        {
            if (overrides.TryGetValue(type, out var retention))
            {
                retentions[type] = retention;
            }
            else if (fallback is { } all)
            {
                retentions[type] = all;
            }
        }

        _retentions = retentions;
    }

    /// <summary>Whether no type has a retention: nothing is ever deleted.</summary>
    public bool IsOff => _retentions.Count == 0;

    /// <summary>The policy of <paramref name="options"/>, as start-up validation accepted them.</summary>
    public static RetentionPolicy From(RetentionOptions options)
    {
        var overrides = new Dictionary<Type, TimeSpan>();
        foreach (var (key, retention) in options.Types)
        {
            if (!EventTypeNames.TryParse(key, out var type))
            {
                throw new ArgumentException($"{RetentionOptions.SectionName}:Types:{key} names no event type.", nameof(options));
            }

            overrides[type] = retention;
        }

        return new RetentionPolicy(options.Default, overrides);
    }

    /// <summary>The retention of <paramref name="type"/>, or null when its events are kept forever.</summary>
    public TimeSpan? For(Type type) => _retentions.TryGetValue(type, out var retention) ? retention : null;

    /// <summary>
    /// For each type with a retention, the updated_at before which its events have expired at
    /// <paramref name="now"/>; a retention longer than the calendar reaches back gives the earliest time.
    /// </summary>
    public IReadOnlyList<ExpiryCutoff> CutoffsAt(DateTimeOffset now) =>
        _retentions
            .Select(r => new ExpiryCutoff(
                r.Key,
                now.UtcTicks - DateTimeOffset.MinValue.UtcTicks > r.Value.Ticks ? now.ToUniversalTime() - r.Value : DateTimeOffset.MinValue))
            .ToList();

    /// <summary>The retentions for a log line: "default 90 days, incident 365 days", or "incident 365 days, other types kept".</summary>
    public string Describe()
    {
        var parts = _overrides.OrderBy(o => o.Key).Select(o => $"{EventTypeNames.Lower(o.Key)} {Format(o.Value)}").ToList();
        if (_default is { } fallback)
        {
            parts.Insert(0, $"default {Format(fallback)}");
        }
        else
        {
            parts.Add("other types kept");
        }

        return string.Join(", ", parts);
    }

    private static string Format(TimeSpan retention) =>
        retention.Ticks % TimeSpan.TicksPerDay == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{retention.Days} {(retention.Days == 1 ? "day" : "days")}")
            : retention.ToString("c", CultureInfo.InvariantCulture);
}
