using System.Reflection;
using Tracker.Events.Storage;
using Xunit;

namespace Tracker.Events.Tests.Storage;

public sealed class EventFieldsTests
{
    [Fact]
    public void All_EveryDeclaredField_IsListedOnceButTheCommitPosition()
    {
        var declared = typeof(EventField).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(EventField))
            .Select(f => (EventField)f.GetValue(null)!)
            .ToArray();

        Assert.Equal(declared.Where(f => f != EventField.Sequence), EventFields.All);
        Assert.False(EventField.Sequence.Filterable);
        Assert.All(EventFields.All, f => Assert.True(f.Filterable));
    }

    [Fact]
    public void All_NamesAndStableNames_AreUnique()
    {
        Assert.Equal(EventFields.All.Count, EventFields.All.Select(f => f.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(EventFields.All.Count + 1, EventFields.All.Append(EventField.Sequence).Select(f => f.StableName).Distinct(StringComparer.Ordinal).Count());
    }

    /// <summary>Query fingerprints, and so the page tokens clients hold, name fields by these: they must never change.</summary>
    [Fact]
    public void StableName_FieldsThatExistedBefore_KeepTheNamesPageTokensWereBoundWith()
    {
        string[] before =
        [
            "Title", "Id", "CreatedAt", "UpdatedAt", "Message", "Source", "Type", "Priority", "RelatedId", "Service", "Status",
            "Environment", "Impact", "StartDate", "EndDate", "Owner", "Severity", "Reason", "Code", "Notification", "StakeHolders",
            "Notifications", "ResourceKind", "ResourceId", "ResourceName", "ResourceNamespace", "Labels", "Sequence", "Count", "AggregationKey",
        ];

        Assert.Empty(before.Except(EventFields.All.Append(EventField.Sequence).Select(f => f.StableName)));
    }

    [Theory]
    [InlineData("arguments")]
    [InlineData("attributes.arguments")]
    public void Find_Arguments_IsARepeatedTextFieldStoredByItsName(string path)
    {
        var field = EventFields.Find(path);

        Assert.Same(EventField.Arguments, field);
        Assert.Equal(new RepeatedTextStorage("arguments"), field!.Storage);
        Assert.True(field.Many);
        Assert.False(field.Sortable);
        Assert.Equal(FieldKind.Text, field.Kind);
    }
}
