using Tracker.Events.Storage;
namespace Tracker.Events.Querying;
internal static class MongoQueryParser
{
    public static FilterParseResult Parse(string text) => throw new NotImplementedException("WIP");
}
