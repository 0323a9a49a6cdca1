using Tracker.Events.Storage;
namespace Tracker.Events.Querying;
internal static class FilterParser
{
    public static FilterParseResult Parse(string text) => throw new NotImplementedException("WIP");
}
