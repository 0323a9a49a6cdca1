using System.Net;
using System.Text;
using MimeKit;
using Tracker.Api.V1Alpha1;

namespace Tracker.Notifications.Sending;

/// <summary>
/// The email of one change: subject "[Tracker] Created: Deployment succeeded - checkout/production: Deploy 1.2"
/// ("[Tracker test] ..." for a test message), and a multipart/alternative body with a text/plain
/// and a text/html part that list the same fields. Everything from the event is HTML-encoded in
/// the HTML part, and links are only http(s).
/// </summary>
internal static class EmailMessage
{
    /// <summary>The subject's limit in characters; the title is cut to fit.</summary>
    private const int MaxSubjectChars = 250;

    public static MimeMessage Build(WebhookPayload payload, IEnumerable<string> to, string from, string? publicUrl)
    {
        var summary = new MessageSummary(payload, publicUrl);
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        foreach (var address in to)
        {
            message.To.Add(MailboxAddress.Parse(address));
        }

        message.Subject = Subject(summary);
        var body = new MultipartAlternative
        {
            new TextPart("plain") { Text = PlainText(summary, payload.Channel) },
            new TextPart("html") { Text = Html(summary, payload.Channel) },
        };
        message.Body = body;
        return message;
    }

    public static string Subject(MessageSummary summary)
    {
        var prefix = summary.IsTest ? "[Tracker test]" : "[Tracker]";
        var subject = $"{prefix} {summary.Change}: {summary.Headline} - {summary.Where}: {OneLine(summary.Event.Title)}";
        return subject.Length <= MaxSubjectChars ? subject : string.Concat(subject.AsSpan(0, MaxSubjectChars - 3), "...");
    }

    private static IEnumerable<(string Name, string Value, string? Link)> Fields(MessageSummary summary)
    {
        yield return ("Type", summary.Type, null);
        yield return ("Status", summary.Status, null);
        yield return ("Service", summary.Attributes.Service, null);
        yield return ("Environment", summary.Environment, null);
        yield return ("Priority", summary.Priority, null);
        yield return ("Severity", summary.Severity, null);
        yield return ("Owner", summary.Attributes.HasOwner ? summary.Attributes.Owner : string.Empty, null);
        yield return ("Pull request", summary.PullRequestUrl ?? string.Empty, summary.PullRequestUrl);
        yield return ("Ticket", summary.Ticket, null);
        yield return ("Message", summary.Attributes.HasMessage ? summary.Attributes.Message : string.Empty, null);
    }

    private static string PlainText(MessageSummary summary, string channel)
    {
        var text = new StringBuilder();
        if (summary.IsTest)
        {
            text.AppendLine("This is a test message sent from Tracker's channel settings; its event is an example and is not stored.").AppendLine();
        }

        text.AppendLine(summary.Event.Title).AppendLine();
        foreach (var (name, value, _) in Fields(summary).Where(field => field.Value.Length > 0))
        {
            text.Append(name).Append(": ").AppendLine(value);
        }

        if (summary.EventUrl is { } eventUrl)
        {
            text.AppendLine().Append("Open in Tracker: ").AppendLine(eventUrl);
        }

        text.AppendLine().Append(Footer(summary, channel)).AppendLine();
        return text.ToString();
    }

    private static string Html(MessageSummary summary, string channel)
    {
        static string E(string text) => WebUtility.HtmlEncode(text);
        var html = new StringBuilder("<!DOCTYPE html>\n<html><body>\n");
        if (summary.IsTest)
        {
            html.Append("<p><em>This is a test message sent from Tracker's channel settings; its event is an example and is not stored.</em></p>\n");
        }

        html.Append("<h2>").Append(E(summary.Event.Title)).Append("</h2>\n<table>\n");
        foreach (var (name, value, link) in Fields(summary).Where(field => field.Value.Length > 0))
        {
            html.Append("<tr><th align=\"left\">").Append(E(name)).Append("</th><td>");
            if (link is not null)
            {
                html.Append("<a href=\"").Append(E(link)).Append("\">").Append(E(value)).Append("</a>");
            }
            else
            {
                html.Append(E(value).Replace("\n", "<br>", StringComparison.Ordinal));
            }

            html.Append("</td></tr>\n");
        }

        html.Append("</table>\n");
        if (summary.EventUrl is { } eventUrl)
        {
            html.Append("<p><a href=\"").Append(E(eventUrl)).Append("\">Open in Tracker</a></p>\n");
        }

        html.Append("<p><small>").Append(E(Footer(summary, channel))).Append("</small></p>\n</body></html>\n");
        return html.ToString();
    }

    private static string Footer(MessageSummary summary, string channel) =>
        summary.IsTest
            ? $"Sent by Tracker to channel {channel}."
            : $"{summary.Change} · change {summary.ChangeId} · sent by Tracker to channel {channel}.";

    /// <summary>Line breaks and other control characters as spaces, so the subject is one line.</summary>
    private static string OneLine(string text) =>
        string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? ' ' : source[i];
            }
        });
}
