using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using CallCenter.Telephony.Media.Audio;

namespace CallCenter.Integration.Tests;

/// <summary>
/// Callers queued for agents and bridged to agents' phones, all real sipp processes: the B2BUA,
/// the relay, the recording, the call record and the routing rules end to end.
/// </summary>
[NonParallelizable]
public sealed class AgentCallTests
{
    // sipp answers only an MD5 challenge first (design.md section 4); a short wrap-up keeps tests quick.
    private static readonly string[] _platform = ["--Sip:DigestAlgorithms:0=MD5", "--Sip:DigestAlgorithms:1=SHA-256", "--Agents:WrapUpSeconds=1"];

    // The VIP line's greeting lasts about 7 s; a caller is with an agent from about 8 s on.
    private static Sipp.Running Call(PlatformProcess platform, string caller, int holdMilliseconds, int speakAgainMilliseconds = 9000, string dialed = "95501") =>
        Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("caller.xml", new()
            {
                ["{CALLER}"] = caller,
                ["{WAIT_MS}"] = Math.Min(speakAgainMilliseconds, holdMilliseconds).ToString(CultureInfo.InvariantCulture),
                ["{TALK_MS}"] = Math.Max(0, holdMilliseconds - speakAgainMilliseconds).ToString(CultureInfo.InvariantCulture),
            }),
            "-s", dialed, "-m", "1", "-timeout", "120s", "-timeout_error"]);

    private static async Task<JsonElement> RecordOf(PlatformProcess platform, string caller) =>
        await platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == caller, TimeSpan.FromSeconds(15))
        ?? throw new AssertionException($"no record for {caller}\n{platform.Output}");

    [Test]
    public async Task ADiamondCallerIsBridgedToTheAgentRecordedInStereoAndWrittenUp()
    {
        await using var platform = await PlatformProcess.StartAsync(_platform);
        await using var agent = await AgentPhone.StartAsync(platform, "1001", expectPai: "13800000001", expectDisplay: "Diamond");

        await using var caller = Call(platform, "13800000001", holdMilliseconds: 14_000);
        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(60));
        var agentResult = await agent.WaitAsync(TimeSpan.FromSeconds(30));
        var record = await RecordOf(platform, "13800000001");

        Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), callerResult.Output);
        Assert.That(agentResult.SuccessfulCalls, Is.EqualTo(1), "the agent's phone must see PAI, tier and the BYE\n" + agentResult.Output + platform.Output);
        Assert.That(record.GetProperty("agent").GetString(), Is.EqualTo("1001"), record.ToString());
        Assert.That(record.GetProperty("disposition").GetString(), Is.EqualTo("caller-hung-up"));
        Assert.That(record.GetProperty("queue").GetString(), Is.EqualTo("vip"));
        Assert.That(record.GetProperty("wrapUpSeconds").GetDouble(), Is.InRange(0.5, 3));
        var talk = record.GetProperty("talkSeconds").GetDouble();
        Assert.That(talk, Is.InRange(2, 14), record.ToString());

        var path = record.GetProperty("recording").GetString()!;
        Assert.That(File.Exists(path), Is.True, path);
        var wav = WavFile.Read(path);
        Assert.That(wav.Format, Is.EqualTo(WavFormat.Recording));
        var seconds = wav.Data.Length / (double)wav.Format.ByteRate;
        Assert.That(seconds, Is.EqualTo(talk).Within(0.5), "the recording lasts as long as the talk");
        Assert.That(record.GetProperty("recordingSha256").GetString(), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))));

        // Both voices crossed the relay: sipp's capture on the left (caller) and on the right (agent); silence averages under 10.
        var (left, right) = ChannelEnergy(wav.Data);
        Assert.That(left, Is.GreaterThan(200), "the caller's voice must reach the agent");
        Assert.That(right, Is.GreaterThan(200), "the agent's voice must reach the caller");
    }

    /// <summary>Mean absolute sample of each channel of a 16-bit stereo recording.</summary>
    private static (double Left, double Right) ChannelEnergy(byte[] data)
    {
        double left = 0, right = 0;
        var frames = data.Length / 4;
        for (var i = 0; i < frames; i++)
        {
            left += Math.Abs((int)BitConverter.ToInt16(data, 4 * i));
            right += Math.Abs((int)BitConverter.ToInt16(data, (4 * i) + 2));
        }

        return (left / Math.Max(1, frames), right / Math.Max(1, frames));
    }
}
