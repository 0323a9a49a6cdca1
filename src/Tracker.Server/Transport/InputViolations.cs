using Google.Rpc;

namespace Tracker.Server.Transport;

/// <summary>
/// The field violations of one REST request's parameters or body, answered as the API's other
/// INVALID_ARGUMENT errors are: "&lt;subject&gt;: &lt;field&gt; &lt;description&gt;; ..." with every violation in a
/// google.rpc.BadRequest. Capped at 50, as the event validator's list is, so an error never grows
/// with the request.
/// </summary>
internal sealed class InputViolations
{
    private const int MaxItems = 50;
    private const int MaxSummarized = 5;

    private readonly List<BadRequest.Types.FieldViolation> _items = [];
    private int _omitted;

    public bool Any => _items.Count > 0;

    /// <param name="field">The parameter or the body field's path, e.g. "limit", "links.urll", "attributes.resources[0].kind"; empty for a query parameter without a name, whose description then stands alone.</param>
    /// <param name="description">What is wrong, phrased to follow the path.</param>
    /// <param name="reason">UNKNOWN_PARAMETER, UNKNOWN_FIELD, DUPLICATE_FIELD, CONFLICTS_WITH_PATH, INVALID_FORMAT or INVALID_TYPE.</param>
    public void Add(string field, string description, string reason)
    {
        if (_items.Count >= MaxItems)
        {
            _omitted++;
            return;
        }

        _items.Add(new BadRequest.Types.FieldViolation { Field = RestStatusBody.Echo(field, 128), Description = description, Reason = reason });
    }

    /// <summary>The INVALID_ARGUMENT status listing the violations.</summary>
    public Google.Rpc.Status ToStatus(string subject)
    {
        var summary = string.Join("; ", _items.Take(MaxSummarized).Select(v => v.Field.Length == 0 ? v.Description : $"{v.Field} {v.Description}"));
        var more = _items.Count - MaxSummarized + _omitted;
        if (more > 0)
        {
            summary += $" (and {more} more)";
        }

        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(_items);
        return new Google.Rpc.Status { Code = (int)Code.InvalidArgument, Message = $"{subject}: {summary}", Details = { Google.Protobuf.WellKnownTypes.Any.Pack(badRequest) } };
    }
}
