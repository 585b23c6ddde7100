using System.Globalization;
using System.Text;
using System.Text.Json;
using CallCenter.Telephony.Dtmf;
using CallCenter.Telephony.Media.Audio;
using CallCenter.TestSupport;
using Microsoft.Data.Sqlite;

namespace CallCenter.Integration.Tests;

/// <summary>
/// Self-service on the record without the PIN (<c>Recording:FromAnswer</c>): a sipp caller keys the
/// account number and PIN as in-band tones (which the platform hears and verifies) or as RFC 4733
/// events; the call's recording starts at the answer, lasts the call, and a DTMF detector run over
/// it finds the keys pressed outside the masked entries but none of the account's or PIN's; the
/// back office's audit names the recording.
/// </summary>
[Parallelizable(ParallelScope.Self)]
public sealed class SelfServiceRecordingTests
{
    private const string Pin = "135790";
    private const string Account = "880000000001";
    private PlatformProcess _platform = null!;
    private string _captures = null!;

    [OneTimeSetUp]
    public async Task StartPlatform()
    {
        _captures = Directory.CreateTempSubdirectory("recording-dtmf-").FullName;
        _platform = await PlatformProcess.StartAsync("--Recording:FromAnswer=true");
    }

    [OneTimeTearDown]
    public async Task StopPlatform()
    {
        await _platform.DisposeAsync();
        Directory.Delete(_captures, recursive: true);
    }

    private async Task<JsonElement> CallAsync(string caller, string keys)
    {
        var template = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Scenarios", "ivr-keys.xml"));
        var scenario = Path.Combine(Path.GetTempPath(), $"recording-{Guid.NewGuid():N}.xml");
        await File.WriteAllTextAsync(scenario, template
            .Replace("{CALLER}", caller, StringComparison.Ordinal)
            .Replace("{KEYS}", keys, StringComparison.Ordinal));
        try
        {
            var result = await Sipp.RunAsync(
                $"127.0.0.1:{_platform.SipPort}",
                TimeSpan.FromSeconds(120),
                "-sf", scenario, "-s", "95500", "-m", "1", "-mp", FreePorts.UdpBlock(4).ToString(CultureInfo.InvariantCulture), "-timeout", "90s", "-timeout_error");
            Assert.That(result.ExitCode, Is.Zero, result.Output + _platform.Output);
        }
        finally
        {
            File.Delete(scenario);
        }

        var record = await _platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == caller, TimeSpan.FromSeconds(10));
        Assert.That(record, Is.Not.Null, "no call record\n" + _platform.Output);
        return record!.Value;
    }

    // The language, account services, then (after the masked account number and PIN) the balance.
    // g711a.pcap, which the scenario plays first, has ended before the first key.
    private static readonly string[] _steps =
        ["+6000", "1", "+1500", "2", "+1500", Account + "#", "+800", Pin + "#", "+3000", "1", "+5000"];

    /// <summary>The digits a DTMF detector hears in the recording's left channel (the caller), '#' left out.</summary>
    private static string DigitsHeard(WavAudio wav)
    {
        var samples = new short[wav.Data.Length / 4];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BitConverter.ToInt16(wav.Data, i * 4);
        }

        var detector = new DtmfToneDetector();
        var digits = new char[DtmfToneDetector.MaxDigits(samples.Length)];
        var count = detector.Process(samples, digits);
        return new string(digits, 0, count).Replace("#", "", StringComparison.Ordinal);
    }

    private void AssertCoversTheCall(JsonElement record, WavAudio wav)
    {
        // The IVR answers the INVITE at once: the call starts at its answer.
        var answeredAt = record.GetProperty("startedAt").GetDateTimeOffset();
        var endedAt = record.GetProperty("endedAt").GetDateTimeOffset();
        Assert.That(wav.Data.Length / (double)wav.Format.ByteRate, Is.EqualTo((endedAt - answeredAt).TotalSeconds).Within(1.0),
            "the recording runs from the answer to the end\n" + record);
    }

    private string AuditedRecording(string callId)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_platform.WorkDirectory, "callcenter.db")};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT recording FROM bo_audit WHERE call_id = $id";
        command.Parameters.AddWithValue("$id", callId);
        var names = new StringBuilder();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            names.Append(reader.IsDBNull(0) ? "(null)" : reader.GetString(0)).Append(';');
        }

        return names.ToString();
    }

    [Test]
    public async Task InBandKeysAreHeardByThePlatformButThePinAndAccountAreSilenceInTheRecording()
    {
        var record = await CallAsync("13800000001", InBandKeys.Steps(_captures, _steps));

        var path = record.GetProperty("ivrPath").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.That(path, Does.Contain("95500.services").And.Contain("95500.balance"),
            "the platform heard the in-band PIN and verified it\n" + string.Join(" ", path) + "\n" + _platform.Output);
        var file = record.GetProperty("recording").GetString();
        Assert.That(file, Is.Not.Null.And.Not.Empty, record.ToString());
        var wav = WavFile.Read(file!);
        AssertCoversTheCall(record, wav);
        Assert.Multiple(() =>
        {
            Assert.That(DigitsHeard(wav), Is.EqualTo("121"), "the keys outside the masked entries are in the recording, the account's and PIN's are not");
            Assert.That(AuditedRecording(record.GetProperty("id").GetString()!), Is.EqualTo(Path.GetFileName(file) + ";"), "the self-service audit names the recording");
        });
    }

    [Test]
    public async Task Rfc4733KeysLeaveNoToneInTheRecording()
    {
        var record = await CallAsync("13800000003", DtmfKeys.Steps(_captures, _steps));

        var path = record.GetProperty("ivrPath").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.That(path, Does.Contain("95500.services"), string.Join(" ", path) + "\n" + _platform.Output);
        var wav = WavFile.Read(record.GetProperty("recording").GetString()!);
        AssertCoversTheCall(record, wav);
        Assert.That(DigitsHeard(wav), Is.Empty, "RFC 4733 events are not audio: the platform writes no tone for them");
    }
}
