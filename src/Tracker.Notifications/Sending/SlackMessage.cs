using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tracker.Api.V1Alpha1;

namespace Tracker.Notifications.Sending;

/// <summary>
/// The body of a Slack incoming-webhook message (https://api.slack.com/messaging/webhooks) for
/// one change: a <c>text</c> fallback for notifications and clients without blocks,
/// "[Created] Deploy 1.2 - Deployment succeeded in checkout/production", and Block Kit
/// <c>blocks</c>: the title, a section of fields (type, status, service, environment, priority,
/// severity, owner, pull request, ticket; at most 10, Block Kit's limit), the link to the event
/// in the web UI when Notifications:PublicUrl is set, and a context line with the change.
/// Every text is mrkdwn with Slack's three control characters escaped (&amp;, &lt;, &gt;), so
/// an event's text cannot make a link or a mention.
/// </summary>
internal static class SlackMessage
{
    /// <summary>Block Kit's limit on a section's text.</summary>
    private const int MaxSectionChars = 3000;

    /// <summary>Block Kit's limit on a field's text.</summary>
    private const int MaxFieldChars = 2000;

    public static string Build(WebhookPayload payload, string? publicUrl)
    {
        var summary = new MessageSummary(payload, publicUrl);
        var title = summary.Event.Title;
        var testPrefix = summary.IsTest ? "Test message from Tracker: " : string.Empty;
        var text = $"{testPrefix}[{summary.Change}] {title} - {summary.Headline} in {summary.Where}";

        var blocks = new JsonArray
        {
            Section(Cut($"{Escape(testPrefix)}*{Escape(title)}*", MaxSectionChars)),
            new JsonObject { ["type"] = "section", ["fields"] = Fields(summary) },
        };
        if (summary.EventUrl is { } eventUrl)
        {
            blocks.Add(Section($"<{LinkTarget(eventUrl)}|Open in Tracker>"));
        }

        var context = summary.IsTest
            ? "This is a test message sent from Tracker's channel settings; its event is an example and is not stored."
            : $"{summary.Change} · change {summary.ChangeId} · channel {payload.Channel}";
        blocks.Add(new JsonObject
        {
            ["type"] = "context",
            ["elements"] = new JsonArray { new JsonObject { ["type"] = "mrkdwn", ["text"] = Cut(Escape(context), MaxFieldChars) } },
        });

        var message = new JsonObject { ["text"] = Escape(text), ["blocks"] = blocks };
        return message.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>Slack's escaping of message text: only &amp;, &lt; and &gt; (https://api.slack.com/reference/surfaces/formatting#escaping).</summary>
    public static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);

    private static JsonArray Fields(MessageSummary summary)
    {
        var fields = new JsonArray();
        void Add(string name, string value, bool escape = true)
        {
            if (value.Length > 0)
            {
                fields.Add(new JsonObject { ["type"] = "mrkdwn", ["text"] = Cut($"*{name}*\n{(escape ? Escape(value) : value)}", MaxFieldChars) });
            }
        }

        Add("Type", summary.Type);
        Add("Status", summary.Status);
        Add("Service", summary.Attributes.Service);
        Add("Environment", summary.Environment);
        Add("Priority", summary.Priority);
        Add("Severity", summary.Severity);
        Add("Owner", summary.Attributes.HasOwner ? summary.Attributes.Owner : string.Empty);
        if (summary.PullRequestUrl is { } pullRequest)
        {
            Add("Pull request", $"<{LinkTarget(pullRequest)}|{Escape(Cut(pullRequest, 200))}>", escape: false);
        }

        Add("Ticket", summary.Ticket);
        return fields;
    }

    /// <summary>A URL inside &lt;url|text&gt;: escaped, and '|' (which would end it) percent-encoded.</summary>
    private static string LinkTarget(string url) => Escape(url).Replace("|", "%7C", StringComparison.Ordinal);

    private static JsonObject Section(string mrkdwn) =>
        new() { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = mrkdwn } };

    private static string Cut(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var cut = new StringBuilder(text, 0, max - 1, max);
        return cut.Append('…').ToString();
    }
}
