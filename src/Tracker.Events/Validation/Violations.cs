using Google.Rpc;

namespace Tracker.Events.Validation;

/// <summary>
/// Collects every violated field of one request, so a client learns all that is wrong in one
/// answer instead of one field per round trip. The list is capped: errors travel in HTTP/2
/// trailers, which common clients limit to 8-16 KiB, so a hostile request with thousands of bad
/// items gets the first <see cref="MaxItems"/> and a count of the rest.
/// </summary>
internal sealed class Violations
{
    public const int MaxItems = 50;

    private readonly List<BadRequest.Types.FieldViolation> _items = [];

    public IReadOnlyList<BadRequest.Types.FieldViolation> Items => _items;

    /// <summary>How many violations were found beyond <see cref="MaxItems"/>.</summary>
    public int Omitted { get; private set; }

    public bool Any => _items.Count > 0;

    /// <param name="field">The proto (snake_case) path, e.g. "attributes.service".</param>
    /// <param name="description">What is wrong, phrased to follow the path: "is required".</param>
    /// <param name="reason">An UPPER_SNAKE_CASE code a program can test.</param>
    public void Add(string field, string description, string reason)
    {
        if (_items.Count >= MaxItems)
        {
            Omitted++;
            return;
        }

        _items.Add(new BadRequest.Types.FieldViolation { Field = field, Description = description, Reason = reason });
    }
}

/// <summary>The reason codes of field violations.</summary>
internal static class ViolationReasons
{
    public const string Required = "REQUIRED";
    public const string TooLong = "TOO_LONG";
    public const string TooMany = "TOO_MANY";
    public const string Empty = "EMPTY";
    public const string UndefinedEnumValue = "UNDEFINED_ENUM_VALUE";
    public const string InvalidFormat = "INVALID_FORMAT";
    public const string OutOfRange = "OUT_OF_RANGE";
    public const string NotFound = "NOT_FOUND";
    public const string InvalidReference = "INVALID_REFERENCE";
    public const string UnknownField = "UNKNOWN_FIELD";
    public const string Mismatch = "MISMATCH";
}
