using System.Diagnostics;
using System.Globalization;

namespace CallCenter.Integration.Tests;

/// <summary>
/// Agents hanging up at once while their callers are slow to answer the platform's BYE: the SIP
/// receive loops must not wait for those answers (they can only come in through the same loops).
/// </summary>
[NonParallelizable]
public sealed class AgentHangUpTests
{
    private static readonly string[] _platform = ["--Sip:DigestAlgorithms:0=MD5", "--Sip:DigestAlgorithms:1=SHA-256", "--Agents:WrapUpSeconds=1"];

    // All four demo agents: at least as many hang-ups as the transport has UDP receive loops (one a
    // core, at least two) on machines of up to four cores.
    private static readonly string[] _agents = ["1001", "1002", "1003", "1004"];

    [Test]
    public async Task AgentsHangingUpTogetherWhileTheirCallersAnswerLateDoNotStopThePlatformAnsweringOthers()
    {
        await using var platform = await PlatformProcess.StartAsync(OpenVipLine.Prepare, _platform);
        var phones = new List<AgentPhone>();
        var callers = new List<Sipp.Running>();
        try
        {
            foreach (var extension in _agents)
            {
                phones.Add(await AgentPhone.StartAsync(platform, extension, hangUp: true, talkMilliseconds: 2000, ringMilliseconds: 100));
            }

            for (var i = 0; i < _agents.Length; i++)
            {
                callers.Add(Sipp.Start($"127.0.0.1:{platform.SipPort}", [
                    "-sf", AgentPhone.Template("caller-slow-bye-answer.xml", new()
                    {
                        ["{CALLER}"] = "1390000000" + i.ToString(CultureInfo.InvariantCulture),
                        ["{ANSWER_MS}"] = "4000",
                    }),
                    "-s", "95501", "-m", "1", "-timeout", "60s", "-timeout_error"]));
            }

            // Each agent's BYE is answered at once, although its caller answers the platform's BYE 4 s later.
            var agentResults = new List<Sipp.Result>();
            foreach (var phone in phones)
            {
                agentResults.Add(await phone.WaitAsync(TimeSpan.FromSeconds(40)));
            }

            // Meanwhile (the callers still hold their answers) the platform answers a REGISTER at once.
            var clock = Stopwatch.StartNew();
            var register = AgentPhone.Template("register-contact.xml", new() { ["{CONTACT_PORT}"] = "5999" });
            var registered = await Sipp.RunAsync($"127.0.0.1:{platform.SipPort}", TimeSpan.FromSeconds(3),
                "-sf", register, "-s", "1001", "-au", "1001", "-ap", "demo-1001", "-m", "1");
            File.Delete(register);
            var registerSeconds = clock.Elapsed.TotalSeconds;

            var callerResults = new List<Sipp.Result>();
            foreach (var caller in callers)
            {
                callerResults.Add(await caller.WaitAsync(TimeSpan.FromSeconds(40)));
            }

            Assert.Multiple(() =>
            {
                for (var i = 0; i < _agents.Length; i++)
                {
                    Assert.That(agentResults[i].SuccessfulCalls, Is.EqualTo(1), $"agent {_agents[i]}'s BYE must be answered\n{agentResults[i].Output}\n{platform.Output}");
                    Assert.That(callerResults[i].SuccessfulCalls, Is.EqualTo(1), $"caller {i} gets the platform's BYE\n{callerResults[i].Output}");
                }

                Assert.That(registered.SuccessfulCalls, Is.EqualTo(1), registered.Output);
                Assert.That(registerSeconds, Is.LessThan(2), "a REGISTER while the callers' answers are outstanding");
            });
        }
        finally
        {
            foreach (var caller in callers)
            {
                await caller.DisposeAsync();
            }

            foreach (var phone in phones)
            {
                await phone.DisposeAsync();
            }
        }
    }
}
