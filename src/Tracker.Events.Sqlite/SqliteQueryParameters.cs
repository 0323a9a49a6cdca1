using Microsoft.Data.Sqlite;

namespace Tracker.Events.Sqlite;

/// <summary>
/// The values of a statement being built, named $p0, $p1, ... in the order they are added: the
/// compilers splice only these names into the SQL, never a value.
/// </summary>
internal sealed class SqliteQueryParameters
{
    private readonly List<object> _values = [];

    /// <summary>Adds a value (string, long or byte[]) and returns the name that stands for it.</summary>
    public string Add(object value)
    {
        _values.Add(value);
        return "$p" + (_values.Count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Gives <paramref name="command"/> every value added so far.</summary>
    public void AddTo(SqliteCommand command)
    {
        for (var i = 0; i < _values.Count; i++)
        {
            command.Parameters.AddWithValue("$p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), _values[i]);
        }
    }
}
