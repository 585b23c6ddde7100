using System.Text.Json;
using CallCenter.Contracts.Agents;
using CallCenter.Contracts.Calls;

namespace CallCenter.Contracts.Tests.Desk;

/// <summary>
/// The agent hub pushes CallPop, DeskCallState and AgentSnapshot to the browser as they are (SignalR's JSON
/// protocol, camelCase; src/AgentDesk/Hubs/README.md), and the desk's pages read these names: renaming a
/// property here would blank a field on the agent's screen without failing any build.
/// </summary>
public sealed class DeskPayloadNamesTests
{
    private static readonly JsonSerializerOptions _hubJson = new(JsonSerializerDefaults.Web);

    [Test]
    public void TheScreenPopCarriesTheNamesTheDeskReads()
    {
        var pop = new CallPop(
            "c1", "1001", "13800000001", "95500", DateTimeOffset.UnixEpoch, "张三", "Diamond", "****1234", "1002", "李四", "zh", "Shanghai", "general", 12.5,
            [new PopIvrStep("main", "1")],
            [new PopInteraction("c0", DateTimeOffset.UnixEpoch, "1003", "answered", "account-opening", "notes", 60)]);

        using var json = JsonSerializer.SerializeToDocument(pop, _hubJson);

        Assert.That(Names(json.RootElement), Is.EquivalentTo(new[]
        {
            "callId", "agent", "caller", "dialed", "offeredAt", "name", "tier", "maskedAccount", "accountManager",
            "accountManagerName", "language", "branch", "queue", "waitSeconds", "ivrPath", "recent", "callerVerified", "verifiedByPin",
            "accountManagerPhone", "tierZh", "tierEn", "tierColour", "verifiedAccountMasked", "accountManagerDeniedAt",
        }));
        Assert.That(Names(json.RootElement.GetProperty("ivrPath")[0]), Is.EquivalentTo(new[] { "node", "keys" }));
        Assert.That(Names(json.RootElement.GetProperty("recent")[0]), Is.EquivalentTo(new[]
        {
            "callId", "at", "agent", "disposition", "wrapUpCode", "wrapUpNotes", "talkSeconds",
        }));
    }

    [Test]
    public void AnEmailTaskCarriesTheNamesTheDesksEmailPanelReads()
    {
        var task = new CallCenter.Contracts.Desk.DeskEmailTask("mail-1", "a@example.cn", "张三", "问题", "正文", "13800000001", "Diamond", DateTimeOffset.UnixEpoch, 2);

        using var json = JsonSerializer.SerializeToDocument(task, _hubJson);

        Assert.That(Names(json.RootElement), Is.EquivalentTo(new[] { "id", "from", "fromName", "subject", "text", "client", "tier", "receivedAt", "attachments", "acceptedAt" }));
    }

    [Test]
    public void TheCallStateCarriesTheNamesTheDeskReads()
    {
        using var json = JsonSerializer.SerializeToDocument(new DeskCallState("c1", "1001", DeskCallPhase.Held, DateTimeOffset.UnixEpoch, null), _hubJson);

        Assert.That(Names(json.RootElement), Is.EquivalentTo(new[] { "callId", "agent", "state", "since", "detail" }));
    }

    [TestCase(DeskCallPhase.Ringing, "ringing")]
    [TestCase(DeskCallPhase.Talking, "talking")]
    [TestCase(DeskCallPhase.Held, "held")]
    [TestCase(DeskCallPhase.Consulting, "consulting")]
    [TestCase(DeskCallPhase.Ended, "ended")]
    public void TheCallStateGoesOutAsTheWordTheDeskCompares(DeskCallPhase phase, string word)
    {
        using var json = JsonSerializer.SerializeToDocument(new DeskCallState("c1", "1001", phase, DateTimeOffset.UnixEpoch, null), _hubJson);

        Assert.That(json.RootElement.GetProperty("state").GetString(), Is.EqualTo(word));
    }

    [Test]
    public void TheAgentSnapshotCarriesTheNamesTheDeskReads()
    {
        using var json = JsonSerializer.SerializeToDocument(new AgentSnapshot("1001", "break", true, DateTimeOffset.UnixEpoch, "lunch", null), _hubJson);

        Assert.That(Names(json.RootElement), Is.EquivalentTo(new[] { "id", "state", "registered", "since", "reason", "callId", "emailTask" }));
    }

    [Test]
    public void AWaitingCallerCarriesTheNamesTheWallboardReads()
    {
        var caller = new CallCenter.Contracts.Queues.WaitingCallerView("c1", "138****0001", "Gold", DateTimeOffset.UnixEpoch)
        {
            TierZh = "黄金",
            TierEn = "Gold",
            TierColour = "#c99a06",
            Held = true,
        };

        using var json = JsonSerializer.SerializeToDocument(caller, _hubJson);

        Assert.That(Names(json.RootElement), Is.EquivalentTo(new[] { "callId", "maskedNumber", "tier", "waitingSince", "tierZh", "tierEn", "tierColour", "held" }));
    }

    [Test]
    public void AListsDeadlineCountCarriesTheNamesTheWallboardReads()
    {
        using var json = JsonSerializer.SerializeToDocument(new CallCenter.Contracts.Desk.ListDeadlineCount("l1", "新开户", "new-account", 5, 2, 1), _hubJson);

        Assert.That(Names(json.RootElement), Is.EquivalentTo(new[] { "listId", "name", "kind", "open", "due", "overdue" }));
    }

    private static IEnumerable<string> Names(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToList();
}
