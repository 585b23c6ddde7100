using System.Net;
using System.Text.Json;

namespace CallCenter.Integration.Tests;

/// <summary>
/// An agent handling an accepted e-mail task is busy for calls: a real Dovecot mail becomes a task the only
/// available agent accepts, a sipp caller then waits in the VIP queue while the agent's registered sipp phone
/// is not rung, and the call reaches that phone once the task is answered.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Self)]
public sealed class EmailTaskBusyTests
{
    [Test]
    public async Task AnAgentHandlingAnAcceptedEmailTaskIsOfferedNoCallUntilTheyAnswerIt()
    {
        await using var smtp = await SmtpServer.StartAsync("none");
        await using var imap = await Dovecot.StartAsync();
        var database = Path.Combine(Directory.CreateTempSubdirectory("callcenter-busy-db-").FullName, "callcenter.db");
        await using var platform = await PlatformProcess.StartAsync([.. ImapTests.Arguments(smtp.Port, imap, database), "--Mail:Imap:Acknowledge=false", "--Agents:WrapUpSeconds=1"]);
        await using var phone = await AgentPhone.StartAsync(platform, "1001", ringMilliseconds: 300, talkMilliseconds: 1000);

        // The mail goes to 1001, the only agent available, who accepts it.
        await imap.AppendAsync(Dovecot.Mail("王建国 <client1@example.com>", "请回电", "谢谢。", "busy-1@example.com"));
        var task = await ImapTests.WaitTaskAsync(platform, "busy-1@example.com", t => t.GetProperty("status").GetString() == "offered" && t.GetProperty("agent").GetString() == "1001");
        var id = task.GetProperty("id").GetString()!;
        var (accepted, acceptedBody) = await platform.PostApiAsync($"/api/email-tasks/{id}/accept", "{\"agent\": \"1001\"}");
        Assert.That(accepted, Is.EqualTo(HttpStatusCode.OK), acceptedBody);
        var busy = await WaitAgentAsync(platform, "1001", a => a.GetProperty("state").GetString() == "email");
        Assert.That(busy.GetProperty("emailTask").GetString(), Is.EqualTo(id));

        // A Diamond caller on the VIP line (1001 is their account manager): queued, and 1001's phone does not ring.
        await using var caller = AgentPhone.StartCaller(platform, "13800000001", holdMilliseconds: 15000);
        await WaitQueueAsync(platform, waiting: 1);
        for (var i = 0; i < 20; i++)
        {
            var (_, agents) = await platform.GetApiAsync("api/agents");
            var state = agents.EnumerateArray().Single(a => a.GetProperty("id").GetString() == "1001").GetProperty("state").GetString();
            Assert.That(state, Is.EqualTo("email"), $"offered a call while handling e-mail task {id}\n{platform.Output}");
            await Task.Delay(150);
        }

        // The answer closes the task: 1001 is free for calls again and the waiting caller is put through to them.
        var (replied, replyBody) = await platform.PostApiAsync($"/api/email-tasks/{id}/reply", JsonSerializer.Serialize(new { agent = "1001", text = "已回电。" }));
        Assert.That(replied, Is.EqualTo(HttpStatusCode.Accepted), replyBody);
        var ringing = await WaitAgentAsync(platform, "1001", a => a.GetProperty("state").GetString() is "offered" or "onCall");
        Assert.That(ringing.GetProperty("emailTask").ValueKind, Is.EqualTo(JsonValueKind.Null));
        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), callerResult.Output);
        var phoneResult = await phone.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(phoneResult.SuccessfulCalls, Is.EqualTo(1), phoneResult.Output);
    }

    private static async Task<JsonElement> WaitAgentAsync(PlatformProcess platform, string agent, Func<JsonElement, bool> done)
    {
        JsonElement last = default;
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var (_, agents) = await platform.GetApiAsync("api/agents");
            last = agents.EnumerateArray().Single(a => a.GetProperty("id").GetString() == agent);
            if (done(last))
            {
                return last;
            }

            await Task.Delay(100);
        }

        throw new AssertionException($"agent {agent} never reached the state wanted; last {last}\n{platform.Output}");
    }

    private static async Task WaitQueueAsync(PlatformProcess platform, int waiting)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var (_, queues) = await platform.GetApiAsync("api/queues");
            if (queues.EnumerateArray().Sum(q => q.GetProperty("waiting").GetInt32()) == waiting)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new AssertionException($"never {waiting} caller(s) waiting\n{platform.Output}");
    }
}
