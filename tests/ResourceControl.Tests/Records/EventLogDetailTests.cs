using System.Text.Json;
using CallCenter.ResourceControl.Records;

namespace CallCenter.ResourceControl.Tests.Records;

/// <summary>An event about a call names its SIP Call-ID in the detail beside what the event says, and a peer's huge Call-ID is cut.</summary>
public sealed class EventLogDetailTests
{
    [Test]
    public void TheSipCallIdJoinsTheDetailOrIsTheWholeOfIt()
    {
        using var joined = JsonDocument.Parse(EventLog.Detail(new { queue = "vip", routing = "by Relationship" }, "a84b4c76e66710@pc33")!);
        using var alone = JsonDocument.Parse(EventLog.Detail(null, "a84b4c76e66710@pc33")!);

        Assert.Multiple(() =>
        {
            Assert.That(joined.RootElement.GetProperty("queue").GetString(), Is.EqualTo("vip"));
            Assert.That(joined.RootElement.GetProperty("sipCallId").GetString(), Is.EqualTo("a84b4c76e66710@pc33"));
            Assert.That(alone.RootElement.GetProperty("sipCallId").GetString(), Is.EqualTo("a84b4c76e66710@pc33"));
            Assert.That(EventLog.Detail(null, null), Is.Null, "an event about no call stays without detail");
        });
    }

    [Test]
    public void AHugeCallIdIsCutSoAFloodCannotFillTheQueuesMemory()
    {
        var huge = new string('x', 60_000) + "@attacker";
        using var detail = JsonDocument.Parse(EventLog.Detail(new { disposition = "caller-hung-up" }, huge)!);
        var kept = detail.RootElement.GetProperty("sipCallId").GetString()!;

        Assert.That(kept, Has.Length.EqualTo(EventLog.MaxSipCallIdChars + 1));
        Assert.That(kept, Does.StartWith("xxxx").And.EndWith("…"));
    }
}
