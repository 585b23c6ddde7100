using CallCenter.Data.CallLists;
using CallCenter.Data.Calls;
using CallCenter.Data.Catalog;
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
        Assert.That(CallLists.RoutedManager(List(CallListKinds.NewAccount), _entry, null), Is.Null);

    [TestCase(CallListKinds.Complaint)]
    [TestCase(CallListKinds.CoreClient)]
    [TestCase(CallListKinds.RiskNotice)]
    public void OtherListsPreferTheClientsOwnManager(string kind) =>
        Assert.That(CallLists.RoutedManager(List(kind), _entry, Directory("1003", deniedAt: null)), Is.EqualTo("1003"));

    private static CallerLookup Directory(string manager, DateTimeOffset? deniedAt) =>
        new(new ClientRecord(_entry.Number, "Client", "****0091", "Gold", manager, "zh", "HQ"), null, [], deniedAt);

    [TestCase(CallListKinds.Complaint)]
    [TestCase(CallListKinds.CoreClient)]
    [TestCase(CallListKinds.RiskNotice)]
    public void NoListCallIsSteeredToAManagerTheClientDeniedOnANewAccountCall(string kind) =>
        Assert.That(CallLists.RoutedManager(List(kind), _entry, Directory("1003", deniedAt: _now.AddDays(-1))), Is.Null);

    [Test]
    public void ADenialOfAnotherManagerThanTheEntrysChangesNothing() =>
        // The directory names 1004 now and the client denied 1004; the entry still names 1003, whom nobody denied.
        Assert.That(CallLists.RoutedManager(List(CallListKinds.Complaint), _entry, Directory("1004", deniedAt: _now.AddDays(-1))), Is.EqualTo("1003"));

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
