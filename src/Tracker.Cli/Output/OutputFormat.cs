namespace Tracker.Cli.Output;

/// <summary>How a command writes its result on stdout.</summary>
internal enum OutputFormat
{
    /// <summary>Aligned columns for people.</summary>
    Table,

    /// <summary>The API's proto3 JSON: one object per result, one per line for a watch.</summary>
    Json,

    /// <summary>The event ids only, one per line, for <c>id=$(tracker ...)</c>.</summary>
    Id,
}
