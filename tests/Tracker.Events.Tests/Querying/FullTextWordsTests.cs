using Tracker.Events.Querying;
using Tracker.Events.Validation;
using Xunit;

namespace Tracker.Events.Tests.Querying;

public sealed class FullTextWordsTests
{
    [Theory]
    [InlineData("Rollback checkout-api", new[] { "rollback", "checkout", "api" })]
    [InlineData("cafe\u0301", new[] { "café" })]
    [InlineData("部署完成 🚀 Déploiement", new[] { "部署完成", "déploiement" })]
    [InlineData("v1.2.3 v1", new[] { "v1", "2", "3" })]
    public void Split_Text_GivesItsWordsLowerCasedAndComposed(string q, string[] expected)
    {
        var violations = new Violations();

        Assert.Equal(expected, FullTextWords.Split(q, violations));
        Assert.False(violations.Any);
    }

    [Fact]
    public void Split_NoLetterOrDigit_ViolatesQ()
    {
        var violations = new Violations();

        FullTextWords.Split("🚀 ?!", violations);

        Assert.Equal("q", Assert.Single(violations.Items).Field);
    }
}
