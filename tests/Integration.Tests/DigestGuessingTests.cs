using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CallCenter.Telephony.Sip.Auth;
using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Integration.Tests;

/// <summary>
/// Issue 12's guessing loop, as an outsider would run it: REGISTERs for agent 1001 with wrong
/// passwords from one address, then from many, while the real agent's phone registers from its
/// own address (127.0.0.2: another host to the platform, on loopback). Each guess is a proper
/// digest answer to the platform's own fresh challenge, so each one is a real password check.
/// </summary>
[NonParallelizable]
public sealed partial class DigestGuessingTests
{
    private static readonly TimeSpan _answerWait = TimeSpan.FromMilliseconds(1500);

    [Test]
    public async Task AGuessingLoopIsBannedWhileTheRealAgentKeepsRegisteringFromItsOwnAddress()
    {
        // A window of an hour: the buckets do not drain noticeably while the test runs, so the counts are exact.
        await using var platform = await PlatformProcess.StartAsync("--Sip:AuthFailureWindowSeconds=3600");
        using var guesser = new UdpSipClient(platform.SipEndPoint);
        using var agent = new UdpSipClient(platform.SipEndPoint, IPAddress.Parse("127.0.0.2"));

        // The agent's phone registers before the attack (its address becomes 1001's own).
        Assert.That(await RegisterAsync(agent, platform, "1001", "demo-1001"), Is.EqualTo(200), platform.Output);

        // The guessing loop: five wrong passwords are answered 401, the sixth bans the address (Sip:AuthFailuresPerSource=5).
        var answers = new List<int?>();
        for (var i = 0; i < 10; i++)
        {
            answers.Add(await RegisterAsync(guesser, platform, "1001", $"guess-{i}"));
        }

        var rightPasswordWhileBanned = await RegisterAsync(guesser, platform, "1001", "demo-1001");
        var agentDuringBan = await RegisterAsync(agent, platform, "1001", "demo-1001");
        var agentTypo = await RegisterAsync(agent, platform, "1001", "demo-1002");
        var agentAgain = await RegisterAsync(agent, platform, "1001", "demo-1001");

        Assert.That(answers.Take(5), Has.All.EqualTo(401), string.Join(",", answers));
        Assert.That(answers.Skip(5), Has.All.Null, "a banned address must get no answer at all\n" + string.Join(",", answers));
        Assert.That(rightPasswordWhileBanned, Is.Null, "while banned even the right password is not answered");
        Assert.That(agentDuringBan, Is.EqualTo(200), "the real agent on its own address must keep registering\n" + platform.Output);
        Assert.That(agentTypo, Is.EqualTo(401));
        Assert.That(agentAgain, Is.EqualTo(200));

        // The same guesser on many addresses: once 1001 is under attack (more than 10 wrong passwords
        // a minute from addresses that never registered it), each new address is banned at its first.
        var spread = new List<int?>();
        for (var host = 3; host < 15; host++)
        {
            using var other = new UdpSipClient(platform.SipEndPoint, IPAddress.Parse($"127.0.0.{host}"));
            spread.Add(await RegisterAsync(other, platform, "1001", $"spread-{host}"));
            if (spread[^1] is null)
            {
                // Banned at the first wrong password: the next try from there is not answered either.
                spread.Add(await RegisterAsync(other, platform, "1001", "demo-1001"));
            }
        }

        var agentAfterSpread = await RegisterAsync(agent, platform, "1001", "demo-1001");
        using var health = JsonDocument.Parse(await platform.GetStringAsync("health"));
        var sip = health.RootElement.GetProperty("sip");

        Assert.That(spread.Take(4), Has.All.EqualTo(401), string.Join(",", spread));
        Assert.That(spread.Skip(4), Has.All.Null, "addresses guessing an extension under attack must be banned at once\n" + string.Join(",", spread));
        Assert.That(agentAfterSpread, Is.EqualTo(200), "the spread attack must not lock the real agent out\n" + platform.Output);
        Assert.That(sip.GetProperty("authFailures").GetInt64(), Is.EqualTo(6 + 1 + 12), health.RootElement.ToString());
        Assert.That(sip.GetProperty("bannedSources").GetInt32(), Is.EqualTo(1 + 8));
        Assert.That(sip.GetProperty("bansIssued").GetInt64(), Is.EqualTo(1 + 8));
        Assert.That(sip.GetProperty("requestsDroppedBanned").GetInt64(), Is.EqualTo(6 + (8 * 2)), "the banning guesses, the loop's rest and the right password; each spread address's two");
        Assert.That(platform.Output, Does.Contain("banned for 300 s"));
        Assert.That(platform.Output, Does.Not.Contain("guess-3").And.Not.Contain("demo-1001").And.Not.Contain("response="), "no password or digest material in the log");
    }

    /// <summary>
    /// One registration as a phone does it: REGISTER, the 401's first challenge, REGISTER with the
    /// digest of <paramref name="password"/>. Returns the final status, or null when the platform
    /// did not answer one of the two.
    /// </summary>
    private static async Task<int?> RegisterAsync(UdpSipClient client, PlatformProcess platform, string extension, string password)
    {
        var callId = Guid.NewGuid().ToString("N");
        await client.SendAsync(Register(client, platform, extension, callId, 1, null));
        if (await client.ReceiveResponseAsync(_answerWait) is not { } challenge)
        {
            return null;
        }

        if (challenge.StatusCode != 401)
        {
            return challenge.StatusCode;
        }

        var header = challenge.Headers.GetAll(SipHeaderNames.WwwAuthenticate).First();
        string Parameter(string name) => ChallengeParameter().Matches(header).Single(m => m.Groups["name"].Value == name).Groups["value"].Value;
        var algorithmName = Parameter("algorithm");
        Assert.That(SipDigest.TryParseAlgorithm(algorithmName, out var algorithm), Is.True, header);
        var realm = Parameter("realm");
        var nonce = Parameter("nonce");
        var uri = $"sip:127.0.0.1:{platform.SipPort}";
        const string Cnonce = "0a4f113b";
        const string Nc = "00000001";
        var response = SipDigest.ComputeResponse(algorithm, SipDigest.ComputeHa1(algorithm, extension, realm, password), nonce, Nc, Cnonce, "auth", "REGISTER", uri);
        var authorization = $"Digest username=\"{extension}\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"{uri}\", response=\"{response}\", "
            + $"algorithm={algorithmName}, cnonce=\"{Cnonce}\", opaque=\"{Parameter("opaque")}\", qop=auth, nc={Nc}";
        await client.SendAsync(Register(client, platform, extension, callId, 2, authorization));
        return (await client.ReceiveResponseAsync(_answerWait))?.StatusCode;
    }

    private static string Register(UdpSipClient client, PlatformProcess platform, string extension, string callId, int cseq, string? authorization)
    {
        var local = client.LocalEndPoint;
        var lines = new List<string>
        {
            $"REGISTER sip:127.0.0.1:{platform.SipPort} SIP/2.0",
            $"Via: SIP/2.0/UDP {local};branch=z9hG4bK{Guid.NewGuid():N};rport",
            $"From: <sip:{extension}@127.0.0.1>;tag={callId[..8]}",
            $"To: <sip:{extension}@127.0.0.1>",
            $"Call-ID: {callId}",
            $"CSeq: {cseq.ToString(CultureInfo.InvariantCulture)} REGISTER",
            $"Contact: <sip:{extension}@{local}>",
            "Max-Forwards: 70",
            "Expires: 300",
        };
        if (authorization is not null)
        {
            lines.Add("Authorization: " + authorization);
        }

        lines.Add("Content-Length: 0");
        return string.Join("\r\n", lines) + "\r\n\r\n";
    }

    [GeneratedRegex("(?<name>[a-z]+)=\"?(?<value>[^\",]*)\"?")]
    private static partial Regex ChallengeParameter();
}
