using CallCenter.Data.CallLists;
using CallCenter.ResourceControl.Outbound;

namespace CallCenter.ResourceControl.Tests.Outbound;

/// <summary>
/// A new-account call checks the relationship between a client and their account manager, so it is
/// never put through to that manager first, nor offered to them to preview; other lists prefer the manager.
/// </summary>
public sealed class NewAccountRelationshipTests
{
    private static readonly DateTimeOffset _now = new(2026, 12, 5, 2, 0, 0, TimeSpan.Zero);

    private static CallListRow List(string kind) => new("list-1", "confirmations", kind, "general", 3, 600, "super", _now);

    private static readonly CallListEntryRow _entry = new()
    {
        Id = "entry-1",
        ListId = "list-1",
        Number = "13900000091",
        DueBy = _now.AddHours(24),
        Status = CallListStatuses.Open,
        AccountManager = "1003",
        CreatedAt = _now,
        UpdatedAt = _now,
    };

    [Test]
    public void ANewAccountCallIsNotRoutedToTheManagerItChecks() =>
        Assert.That(CallLists.RoutedManager(List(CallListKinds.NewAccount), _entry), Is.Null);

    [TestCase(CallListKinds.Complaint)]
    [TestCase(CallListKinds.CoreClient)]
    [TestCase(CallListKinds.RiskNotice)]
    public void OtherListsPreferTheClientsOwnManager(string kind) =>
        Assert.That(CallLists.RoutedManager(List(kind), _entry), Is.EqualTo("1003"));

    [Test]
    public void TheManagerCannotPreviewTheirOwnNewAccountEntryButAColleagueCan()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CallLists.IsOwnRelationship(List(CallListKinds.NewAccount), _entry, "1003"), Is.True);
            Assert.That(CallLists.IsOwnRelationship(List(CallListKinds.NewAccount), _entry, "1002"), Is.False);
            Assert.That(CallLists.IsOwnRelationship(List(CallListKinds.Complaint), _entry, "1003"), Is.False);
        });
    }
}
