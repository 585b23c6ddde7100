using System.Globalization;
using CallCenter.TestSupport;

namespace CallCenter.Integration.Tests;

/// <summary>
/// An agent's SIP phone made of two real sipp processes: one answers (or lets ring) the calls the
/// platform offers, on a port of its own; the other registers that port as the agent's contact
/// with digest authentication. Then the agent is made available through the REST API.
/// </summary>
internal sealed class AgentPhone : IAsyncDisposable
{
    private readonly Sipp.Running _phone;
    private readonly string _scenario;

    private AgentPhone(string extension, Sipp.Running phone, string scenario)
    {
        Extension = extension;
        _phone = phone;
        _scenario = scenario;
    }

    public string Extension { get; }

    /// <summary>
    /// A sipp caller (Scenarios/caller.xml) ringing <paramref name="dialed"/> as <paramref name="caller"/>:
    /// it sends sipp's A-law capture, again after <paramref name="speakAgainMilliseconds"/> (when it
    /// is with an agent on the VIP line), and hangs up after <paramref name="holdMilliseconds"/>.
    /// </summary>
    public static Sipp.Running StartCaller(PlatformProcess platform, string caller, int holdMilliseconds, int speakAgainMilliseconds = 9000, string dialed = "95501", string timeout = "120s")
    {
        ArgumentNullException.ThrowIfNull(platform);
        return Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", Template("caller.xml", new()
            {
                ["{CALLER}"] = caller,
                ["{WAIT_MS}"] = Math.Min(speakAgainMilliseconds, holdMilliseconds).ToString(CultureInfo.InvariantCulture),
                ["{TALK_MS}"] = Math.Max(0, holdMilliseconds - speakAgainMilliseconds).ToString(CultureInfo.InvariantCulture),
            }),
            "-s", dialed, "-m", "1", "-timeout", timeout, "-timeout_error"]);
    }

    /// <summary>
    /// Starts the phone for <paramref name="calls"/> calls. <paramref name="answer"/>: pick up after
    /// <paramref name="ringMilliseconds"/>; otherwise ring until CANCELled. The INVITE must carry
    /// <paramref name="expectPai"/> in P-Asserted-Identity and <paramref name="expectDisplay"/> in From (regexps).
    /// With <paramref name="transferTo"/> the phone answers, talks <paramref name="talkMilliseconds"/> and
    /// transfers the call there by REFER; with <paramref name="holdMilliseconds"/> it talks, holds the
    /// caller that long by re-INVITE and resumes; with <paramref name="hangUp"/> it talks and hangs up.
    /// <paramref name="scenarioName"/> picks another template in Scenarios/, filled in with <paramref name="values"/> too.
    /// </summary>
    public static async Task<AgentPhone> StartAsync(
        PlatformProcess platform,
        string extension,
        bool answer = true,
        int calls = 1,
        int ringMilliseconds = 300,
        string expectPai = ".*",
        string expectDisplay = ".*",
        bool makeAvailable = true,
        string? transferTo = null,
        int talkMilliseconds = 2000,
        int? holdMilliseconds = null,
        bool hangUp = false,
        string? scenarioName = null,
        Dictionary<string, string>? values = null)
    {
        var port = FreePorts.UdpAndTcp();
        var name = scenarioName is not null ? scenarioName
            : transferTo is not null ? "agent-refer.xml"
            : holdMilliseconds is not null ? "agent-hold.xml"
            : hangUp ? "agent-hangs-up.xml"
            : answer ? "agent-answer.xml" : "agent-no-answer.xml";
        var scenario = Template(name, new Dictionary<string, string>
        {
            ["{RING_MS}"] = ringMilliseconds.ToString(CultureInfo.InvariantCulture),
            ["{EXPECT_PAI}"] = expectPai,
            ["{EXPECT_DISPLAY}"] = expectDisplay,
            ["{TARGET}"] = transferTo ?? "",
            ["{TALK_MS}"] = talkMilliseconds.ToString(CultureInfo.InvariantCulture),
            ["{HOLD_MS}"] = (holdMilliseconds ?? 0).ToString(CultureInfo.InvariantCulture),
        }.Concat(values ?? []).ToDictionary());
        var target = $"127.0.0.1:{platform.SipPort}";
        var phone = Sipp.Start(target, ["-sf", scenario, "-m", calls.ToString(CultureInfo.InvariantCulture), "-timeout", "120s", "-timeout_error"], port);
        var register = Template("register-contact.xml", new() { ["{CONTACT_PORT}"] = port.ToString(CultureInfo.InvariantCulture) });
        var registered = await Sipp.RunAsync(target, TimeSpan.FromSeconds(30), "-sf", register, "-s", extension, "-au", extension, "-ap", "demo-" + extension, "-m", "1", "-timeout", "20s", "-timeout_error");
        File.Delete(register);
        Assert.That(registered.SuccessfulCalls, Is.EqualTo(1), $"agent {extension} did not register\n{registered.Output}");
        if (makeAvailable)
        {
            var available = await platform.PostApiAsync($"api/agents/{extension}/state", "{\"state\": \"available\"}");
            Assert.That(available.Status, Is.EqualTo(System.Net.HttpStatusCode.OK), available.Body);
        }

        return new AgentPhone(extension, phone, scenario);
    }

    /// <summary>Waits for the phone's calls to finish; the result says whether each went as scripted.</summary>
    public Task<Sipp.Result> WaitAsync(TimeSpan timeout) => _phone.WaitAsync(timeout);

    /// <summary>A scenario file from a template in Scenarios/ with its placeholders filled in.</summary>
    public static string Template(string name, Dictionary<string, string> values)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Scenarios", name));
        foreach (var (key, value) in values)
        {
            text = text.Replace(key, value, StringComparison.Ordinal);
        }

        var path = Path.Combine(Path.GetTempPath(), $"callcenter-{Guid.NewGuid():N}-{name}");
        File.WriteAllText(path, text);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _phone.DisposeAsync();
        File.Delete(_scenario);
    }
}
