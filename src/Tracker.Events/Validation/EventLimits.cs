namespace Tracker.Events.Validation;

/// <summary>The size limits of an event's fields (DESIGN.md section 3).</summary>
internal static class EventLimits
{
    public const int TitleChars = 500;
    public const int MessageBytes = 16 * 1024;
    public const int ShortTextChars = 128;
    public const int ListItems = 64;
    public const int ListItemChars = 128;
    public const int ResourceKindChars = 128;
    public const int ResourceTextChars = 256;
    public const int Labels = 64;
    public const int LabelKeyChars = 63;
    public const int LabelValueChars = 256;
    public const int UrlChars = 2048;
    public const int IdChars = 128;
    public const int RequestIdChars = 128;
    public const int EtagChars = 128;
}
