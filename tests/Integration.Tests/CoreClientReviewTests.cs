using System.Net;
using System.Text.Json;

namespace CallCenter.Integration.Tests;

/// <summary>
/// Core clients' periodic review calls (issue 15): with <c>CallLists:CoreClientTiers</c> set, the platform itself puts
/// each core client of the directory on the standing core-client list, once per <c>CoreClientEveryDays</c>, routed to
/// their account manager; a client on the do-not-call list gets no entry; a tier the grading does not know stops the start.
/// </summary>
public sealed class CoreClientReviewTests
{
    [Test]
    public async Task TheDemosDiamondAndPlatinumClientsGetOneReviewEntryEachAndTheDoNotCallClientNone()
    {
        await using var platform = await PlatformProcess.StartAsync("--CallLists:CoreClientTiers=Diamond,Platinum", "--CallLists:CheckSeconds=10");

        // Before the first check (10 s after the start, room for a loaded machine): the Platinum client asks not to be called.
        var (added, body) = await platform.PostApiAsync("api/do-not-call", """{"number":"13800000002","reason":"asked not to be called"}""");
        Assert.That(added, Is.EqualTo(HttpStatusCode.Created).Or.EqualTo(HttpStatusCode.OK), body);

        JsonElement entries = default;
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var (status, json) = await platform.GetApiAsync("api/call-lists/list-core-client/entries");
            if (status == HttpStatusCode.OK && json.GetArrayLength() > 0)
            {
                entries = json;
                break;
            }

            await Task.Delay(100);
        }

        Assert.That(entries.ValueKind, Is.EqualTo(JsonValueKind.Array), "no core-client entry was made\n" + platform.Output);

        // Two more checks: nobody is put on the list a second time.
        await Task.Delay(TimeSpan.FromSeconds(21));
        var (_, after) = await platform.GetApiAsync("api/call-lists/list-core-client/entries");
        var rows = after.EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(rows.Select(r => r.GetProperty("number").GetString()), Is.EqualTo(new[] { "13800000001" }), after.ToString());
            Assert.That(rows[0].GetProperty("accountManager").GetString(), Is.EqualTo("1001"));
            Assert.That(rows[0].GetProperty("clientName").GetString(), Is.EqualTo("王建国"));
            Assert.That(rows[0].GetProperty("note").GetString(), Does.Contain("Diamond"));
            Assert.That(platform.Output, Does.Contain("13800000002 refused").And.Contain("do-not-call"));
        });
    }

    [Test]
    public async Task ATierTheGradingDoesNotKnowStopsTheStartWithItsKey()
    {
        await using var platform = PlatformProcess.Start("--CallLists:CoreClientTiers=Diamnd");

        var exitCode = await platform.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.That(exitCode, Is.EqualTo(2), platform.Output);
        Assert.That(platform.Output, Does.Contain("CallLists:CoreClientTiers").And.Contain("Diamnd"));
    }
}
