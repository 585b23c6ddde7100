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
    [Test]
    public void EveryShapeOfDetailKeepsItsFieldsAndGetsTheCallIdOnce()
    {
        // The detail's JSON is copied and the Call-ID added without a JsonNode tree: check the shapes that copy could get wrong.
        const string id = "a\"quoted\\id\u2028@pc33";
        var cases = new (object Detail, string[] Fields)[]
        {
            (new { }, []),
            (new { nested = new { sipCallId = "inner" }, note = "x" }, ["nested", "note"]),
            (new { sipCallId = "the detail's own", queue = "vip" }, ["queue"]),
            (new[] { 1, 2 }, ["value"]),
            ("just text", ["value"]),
        };

        foreach (var (detail, fields) in cases)
        {
            var json = EventLog.Detail(detail, id)!;
            using var parsed = JsonDocument.Parse(json);
            var names = parsed.RootElement.EnumerateObject().Select(p => p.Name).ToList();
            Assert.Multiple(() =>
            {
                Assert.That(names.Count(n => n == "sipCallId"), Is.EqualTo(1), json);
                Assert.That(parsed.RootElement.GetProperty("sipCallId").GetString(), Is.EqualTo(id), json);
                Assert.That(names.Where(n => n != "sipCallId"), Is.EquivalentTo(fields), json);
            });
        }

        using var nested = JsonDocument.Parse(EventLog.Detail(new { nested = new { sipCallId = "inner" } }, id)!);
        Assert.That(nested.RootElement.GetProperty("nested").GetProperty("sipCallId").GetString(), Is.EqualTo("inner"), "a nested field of the same name is the detail's own");
    }
}
