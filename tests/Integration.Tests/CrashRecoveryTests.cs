using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using CallCenter.Telephony.Media.Audio;

namespace CallCenter.Integration.Tests;

/// <summary>
/// The attack of issue 12 part 6: a real caller bridged to a real agent phone, the platform killed
/// with SIGKILL mid-call (no shutdown code runs), then started again on the same database and
/// recordings folder. The record must keep what was known before the kill and end at it, and the
/// recording must say the audio it holds.
/// </summary>
[NonParallelizable]
public sealed class CrashRecoveryTests
{
    private static readonly string[] _platform = ["--Sip:DigestAlgorithms:0=MD5", "--Sip:DigestAlgorithms:1=SHA-256", "--Agents:WrapUpSeconds=1"];

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task ABridgedCallKilledMidCallKeepsAgentTierQueueLegsAndRecordingAndEndsAtTheKill()
    {
        var shared = Directory.CreateTempSubdirectory("callcenter-crash-").FullName;
        string[] arguments =
        [
            .. _platform,
            "--Database:ConnectionString=Data Source=" + Path.Combine(shared, "callcenter.db"),
            "--Recording:Directory=" + Path.Combine(shared, "recordings"),
        ];
        try
        {
            var (killedAt, deadAt, platformOutput) = await BridgeAndKillAsync(arguments, Path.Combine(shared, "recordings"));

            // The worst a kill can leave: a header never rewritten since the recording began.
            var wavPath = Directory.EnumerateFiles(Path.Combine(shared, "recordings"), "*.wav").Single();
            ZeroTheSizes(wavPath);

            await Task.Delay(TimeSpan.FromSeconds(3)); // the restart is well after the kill
            await using var restarted = await PlatformProcess.StartAsync(arguments);
            var record = await restarted.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == "13800000001", TimeSpan.FromSeconds(10))
                ?? throw new AssertionException("the killed call has no record\n" + restarted.Output + platformOutput);

            Assert.That(record.GetProperty("disposition").GetString(), Is.EqualTo("interrupted"), record.ToString());
            Assert.That(record.GetProperty("agent").GetString(), Is.EqualTo("1001"), record.ToString());
            Assert.That(record.GetProperty("tier").GetString(), Is.EqualTo("Diamond"));
            Assert.That(record.GetProperty("queue").GetString(), Is.EqualTo("vip"));
            Assert.That(record.GetProperty("routing").GetString(), Is.Not.Null.And.Not.Empty);
            var answeredAt = Time(record, "answeredAt");
            var endedAt = Time(record, "endedAt");
            // Up to the moment the kill returned: on a loaded machine the process can still note itself alive after the kill is asked.
            Assert.That(endedAt, Is.InRange(killedAt.AddSeconds(-3.5), deadAt), "the record ends at the last moment known alive, not at the restart");
            Assert.That(record.GetProperty("talkSeconds").GetDouble(), Is.EqualTo((endedAt - answeredAt).TotalSeconds).Within(0.01));
            var legs = record.GetProperty("legs").EnumerateArray()
                .Select(l => (l.GetProperty("role").GetString(), l.GetProperty("party").GetString(), l.GetProperty("outcome").GetString())).ToList();
            Assert.That(legs, Is.EqualTo(new[] { ("caller", "13800000001", "interrupted"), ("agent", "1001", "answered") }), record.ToString());

            var path = record.GetProperty("recording").GetString();
            Assert.That(path, Is.EqualTo(wavPath));
            var wav = WavFile.Read(path!);
            var seconds = wav.Data.Length / (double)wav.Format.ByteRate;
            Assert.That(wav.Format, Is.EqualTo(WavFormat.Recording));
            Assert.That(seconds, Is.EqualTo((killedAt - answeredAt).TotalSeconds).Within(2.5), "the repaired recording holds the talk before the kill");
            Assert.That(record.GetProperty("recordingSha256").GetString(), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path!)))));
        }
        finally
        {
            CallCenter.TestSupport.TestDatabases.DeleteSqliteFile(Path.Combine(shared, "callcenter.db"));
            Directory.Delete(shared, recursive: true);
        }
    }

    /// <summary>Bridges a Diamond caller to agent 1001, lets them talk, and kills the platform; returns when.</summary>
    private static async Task<(DateTimeOffset KilledAt, DateTimeOffset DeadAt, string Output)> BridgeAndKillAsync(string[] arguments, string recordings)
    {
        var platform = await PlatformProcess.StartAsync(arguments);
        var killed = false;
        try
        {
            await using var agent = await AgentPhone.StartAsync(platform, "1001");
            await using var caller = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
                "-sf", AgentPhone.Template("caller.xml", new()
                {
                    ["{CALLER}"] = "13800000001",
                    ["{WAIT_MS}"] = "9000",
                    ["{TALK_MS}"] = "60000",
                }),
                "-s", "95501", "-m", "1", "-timeout", "120s", "-timeout_error"]);

            // The bridge starts the recording: from then on caller and agent talk.
            var deadline = DateTime.UtcNow.AddSeconds(40);
            bool Bridged() => Directory.Exists(recordings) && Directory.EnumerateFiles(recordings, "*.wav").Any();
            while (!Bridged() && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            Assert.That(Bridged(), Is.True, "the call was never bridged\n" + platform.Output);
            await Task.Delay(TimeSpan.FromSeconds(7));

            var output = platform.Output;
            var killedAt = DateTimeOffset.UtcNow;
            killed = true;
            await platform.DisposeAsync(); // SIGKILL: no BYE, no record, no header rewrite
            return (killedAt, DateTimeOffset.UtcNow, output);
        }
        finally
        {
            if (!killed)
            {
                await platform.DisposeAsync();
            }
        }
    }

    private static DateTimeOffset Time(JsonElement record, string name) =>
        DateTimeOffset.Parse(record.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);

    private static void ZeroTheSizes(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        Span<byte> zero = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(zero, 0);
        file.Position = 4;
        file.Write(zero);
        file.Position = 40;
        file.Write(zero);
    }
}
