using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;
using Tracker.Cli.Options;
using Type = Tracker.Api.V1Alpha1.Type;

namespace Tracker.Cli.Output;

/// <summary>
/// Writes results on stdout in the chosen <see cref="OutputFormat"/>. JSON is the API's proto3
/// JSON mapping as Google.Protobuf writes it: lowerCamelCase names, default values written, enums
/// by name, timestamps in RFC 3339, int64 (totalCount) as a string, as the mapping says.
/// </summary>
internal sealed class EventPrinter(TextWriter output, TextWriter error, OutputFormat format, int? maxWidth)
{
    private const int TitleWidth = 60;
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public OutputFormat Format => format;

    /// <summary>One event: field by field, as JSON, or its id.</summary>
    public async Task WriteEventAsync(Event e)
    {
        switch (format)
        {
            case OutputFormat.Json:
                await output.WriteLineAsync(Json.Format(e)).ConfigureAwait(false);
                break;
            case OutputFormat.Id:
                await output.WriteLineAsync(e.Id).ConfigureAwait(false);
                break;
            default:
                var table = new TextTable("FIELD", "VALUE");
                foreach (var (name, value) in Fields(e).Where(f => f.Value.Length > 0))
                {
                    table.Add(name, value);
                }

                await table.WriteAsync(output).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>A page of a list or a search: a row per event and the paging state, the response as JSON, or the ids.</summary>
    public async Task WritePageAsync(IMessage response, IReadOnlyList<Event> events, long totalCount, TotalCountRelation relation, string nextPageToken)
    {
        switch (format)
        {
            case OutputFormat.Json:
                await output.WriteLineAsync(Json.Format(response)).ConfigureAwait(false);
                break;
            case OutputFormat.Id:
                foreach (var e in events)
                {
                    await output.WriteLineAsync(e.Id).ConfigureAwait(false);
                }

                // On stderr, so that stdout stays the ids alone and a pipeline still learns of the next page.
                if (nextPageToken.Length > 0)
                {
                    await error.WriteLineAsync($"next_page_token: {nextPageToken}").ConfigureAwait(false);
                }

                break;
            default:
                var table = new TextTable("ID", "TIME", "TYPE", "STATUS", "ENVIRONMENT", "SERVICE", "TITLE");
                foreach (var e in events)
                {
                    table.Add(Row(e));
                }

                await table.WriteAsync(output, maxWidth).ConfigureAwait(false);
                var total = relation == TotalCountRelation.AtLeast ? $"at least {totalCount}" : totalCount.ToString(CultureInfo.InvariantCulture);
                await output.WriteLineAsync($"{events.Count} shown, {total} matching.").ConfigureAwait(false);
                if (nextPageToken.Length > 0)
                {
                    await output.WriteLineAsync($"Next page: --page-token {nextPageToken}").ConfigureAwait(false);
                }

                break;
        }
    }

    /// <summary>The header of a watch's table; nothing in the other formats.</summary>
    public async Task WriteChangeHeaderAsync()
    {
        if (format == OutputFormat.Table)
        {
            await output.WriteLineAsync(string.Join("  ", "CHANGE".PadRight(8), "CHANGE_ID".PadRight(10), "ID".PadRight(36), "TYPE".PadRight(10), "STATUS".PadRight(8), "SERVICE".PadRight(16), "TITLE")).ConfigureAwait(false);
        }
    }

    /// <summary>One change of a watch, on one line (flushed at once, so a pipe sees it as it comes).</summary>
    public async Task WriteChangeAsync(WatchEventsResponse change)
    {
        var line = format switch
        {
            OutputFormat.Json => Json.Format(change),
            OutputFormat.Id => change.Event?.Id ?? "",
            _ => string.Join(
                "  ",
                ShortName(change.ChangeType).PadRight(8),
                change.ChangeId.PadRight(10),
                (change.Event?.Id ?? "").PadRight(36),
                ShortName(change.Event?.Attributes?.Type ?? Type.Unspecified).PadRight(10),
                ShortName(change.Event?.Attributes?.Status ?? Status.Unspecified).PadRight(8),
                TextTable.Clean(change.Event?.Attributes?.Service ?? "").PadRight(16),
                Shorten(change.Event?.Title ?? "")),
        };
        await output.WriteLineAsync(line).ConfigureAwait(false);
        await output.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>What a delete answers: a sentence, <c>{}</c> (the API's Empty), or the id.</summary>
    public async Task WriteDeletedAsync(string id, bool existed)
    {
        var line = format switch
        {
            OutputFormat.Json => Json.Format(new Empty()),
            OutputFormat.Id => id,
            _ => existed ? $"Deleted event {id}." : $"Event {id} did not exist; nothing deleted (--allow-missing).",
        };
        await output.WriteLineAsync(line).ConfigureAwait(false);
    }

    private static string[] Row(Event e) =>
    [
        e.Id,
        Time(e.Attributes?.StartDate ?? e.CreatedAt),
        ShortName(e.Attributes?.Type ?? Type.Unspecified),
        ShortName(e.Attributes?.Status ?? Status.Unspecified),
        ShortName(e.Attributes?.Environment ?? Api.V1Alpha1.Environment.Unspecified),
        e.Attributes?.Service ?? "",
        Shorten(e.Title),
    ];

    private static IEnumerable<(string Name, string Value)> Fields(Event e)
    {
        var a = e.Attributes ?? new EventAttributes();
        yield return ("id", e.Id);
        yield return ("title", e.Title);
        yield return ("type", a.HasType ? ShortName(a.Type) : "");
        yield return ("service", a.Service);
        yield return ("environment", a.HasEnvironment ? ShortName(a.Environment) : "");
        yield return ("status", a.HasStatus ? ShortName(a.Status) : "");
        yield return ("priority", a.HasPriority ? ShortName(a.Priority) : "");
        yield return ("impact", a.HasImpact ? ShortName(a.Impact) : "");
        yield return ("severity", a.HasSeverity ? ShortName(a.Severity) : "");
        yield return ("source", a.Source);
        yield return ("owner", a.Owner);
        yield return ("message", a.Message);
        yield return ("reason", a.Reason);
        yield return ("code", a.HasCode ? a.Code.ToString(CultureInfo.InvariantCulture) : "");
        yield return ("related-id", a.RelatedId);
        yield return ("start-date", Time(a.StartDate));
        yield return ("end-date", Time(a.EndDate));
        yield return ("stake-holders", string.Join(", ", a.StakeHolders));
        yield return ("notification", a.HasNotification ? (a.Notification ? "true" : "false") : "");
        yield return ("notifications", string.Join(", ", a.Notifications));
        yield return ("labels", string.Join(", ", a.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")));
        yield return ("resources", string.Join(", ", a.Resources.Select(r => $"{r.Kind}/{r.Name}")));
        yield return ("pull-request-link", e.Links?.PullRequestLink ?? "");
        yield return ("ticket", e.Links?.Ticket ?? "");
        yield return ("count", e.Count > 1 ? e.Count.ToString(CultureInfo.InvariantCulture) : "");
        yield return ("created-at", Time(e.CreatedAt));
        yield return ("created-by", e.CreatedBy);
        yield return ("updated-at", Time(e.UpdatedAt));
        yield return ("updated-by", e.UpdatedBy);
        yield return ("etag", e.Etag);
    }

    private static string ShortName<TEnum>(TEnum value)
        where TEnum : struct, System.Enum => ProtoEnumOption.ShortName(value);

    private static string Time(Timestamp? time) =>
        time is null ? "" : time.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Shorten(string text)
    {
        var line = TextTable.Clean(text.ReplaceLineEndings(" "));
        return line.Length <= TitleWidth ? line : line[..(TitleWidth - 1)] + "…";
    }
}
