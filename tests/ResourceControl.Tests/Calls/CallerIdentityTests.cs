using CallCenter.Data.Catalog;
using CallCenter.ResourceControl.Calls;
using CallCenter.TestSupport;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>
/// What a call takes from the directory's answer (<see cref="ActiveCall.Apply"/>): the account manager its wait is held
/// for, except a manager the client denied on a new-account confirmation call (the relationship is flagged for removal:
/// the client's calls no longer go to that manager, and the pop says why).
/// </summary>
public sealed class CallerIdentityTests
{
    private static readonly ClientRecord _client = new("13800000003", "张伟", "6225****0003", "Gold", "1004", "zh", "深圳");

    private readonly TestCalls _calls = new();

    [TearDown]
    public Task FreeTheCallsPortsAsync() => _calls.DisposeAllAsync();

    [Test]
    public void AClientsOwnManagerIsTheOneTheirWaitIsHeldFor()
    {
        var time = new ManualTimeProvider();
        var call = _calls.New(time, _client.Phone);
        call.Apply(new CallerIdentity(_client, "周强", []));

        Assert.That((call.AccountManager, call.WaitingOrNew(time.GetUtcNow()).AccountManager, call.ManagerDeniedAt), Is.EqualTo(("1004", "1004", (DateTimeOffset?)null)));
    }

    [Test]
    public void AManagerTheClientDeniedIsNotHeldForButThePopStillNamesThemWithTheDenial()
    {
        var time = new ManualTimeProvider();
        var call = _calls.New(time, _client.Phone);
        var denied = time.GetUtcNow().AddDays(-3);
        call.Apply(new CallerIdentity(_client, "周强", [], denied));
        var pop = ScreenPop.Build(call, "1001", time.GetUtcNow());

        Assert.Multiple(() =>
        {
            Assert.That(call.AccountManager, Is.Null);
            Assert.That(call.WaitingOrNew(time.GetUtcNow()).AccountManager, Is.Null, "no wait held for the denied manager");
            Assert.That((pop.AccountManager, pop.AccountManagerName, pop.AccountManagerDeniedAt), Is.EqualTo(("1004", "周强", (DateTimeOffset?)denied)));
        });
    }
}
