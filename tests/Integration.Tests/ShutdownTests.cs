using System.Text;

namespace CallCenter.Integration.Tests;

/// <summary>Stopping the platform mid-call: the caller gets a BYE and the call its record.</summary>
[NonParallelizable]
public sealed class ShutdownTests
{
    [Test]
    public async Task CallInProgressAtShutdownIsHungUpAndRecordedAsInterrupted()
    {
        var database = Path.Combine(Path.GetTempPath(), $"callcenter-shutdown-{Guid.NewGuid():N}.db");
        var databaseArgument = "--Database:ConnectionString=Data Source=" + database;
        try
        {
            await using (var platform = await PlatformProcess.StartAsync(databaseArgument))
            {
                using var caller = new UdpSipClient(platform.SipEndPoint);
                await AnswerACallAsync(platform, caller, "13800000005");

                var exitCode = await platform.StopGracefullyAsync(TimeSpan.FromSeconds(30));
                var received = await caller.ReceiveAllAsync(TimeSpan.FromMilliseconds(300));

                Assert.That(exitCode, Is.Zero, platform.Output);
                Assert.That(platform.Output, Does.Not.Contain("Unhandled exception"));
                Assert.That(received.Select(d => Encoding.ASCII.GetString(d)), Has.Some.StartsWith("BYE sip:"), "the caller was not sent a BYE");
            }

            await using var restarted = await PlatformProcess.StartAsync(databaseArgument);
            var record = await restarted.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == "13800000005", TimeSpan.FromSeconds(5));
            Assert.That(record, Is.Not.Null, "the interrupted call has no record");
            Assert.That(record!.Value.GetProperty("disposition").GetString(), Is.EqualTo("interrupted"));
        }
        finally
        {
            DeleteDatabase(database);
        }
    }

    [Test]
    public async Task ACallInProgressWhenTheProcessIsKilledIsRecordedAsInterruptedAtTheNextStart()
    {
        var database = Path.Combine(Path.GetTempPath(), $"callcenter-killed-{Guid.NewGuid():N}.db");
        var databaseArgument = "--Database:ConnectionString=Data Source=" + database;
        try
        {
            await using (var platform = await PlatformProcess.StartAsync(databaseArgument))
            {
                using var caller = new UdpSipClient(platform.SipEndPoint);
                await AnswerACallAsync(platform, caller, "13800000006");
                await Task.Delay(700); // the open row is written off the SIP path
            } // SIGKILL: no shutdown code runs

            await using var restarted = await PlatformProcess.StartAsync(databaseArgument);
            var record = await restarted.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == "13800000006", TimeSpan.FromSeconds(5));
            await restarted.StopGracefullyAsync(TimeSpan.FromSeconds(30));
            await using var again = await PlatformProcess.StartAsync(databaseArgument);
            var (_, calls) = await again.GetApiAsync("api/calls?limit=100");

            Assert.That(record, Is.Not.Null, "the killed call has no record\n" + restarted.Output);
            Assert.That(record!.Value.GetProperty("disposition").GetString(), Is.EqualTo("interrupted"));
            Assert.That(calls.EnumerateArray().Count(c => c.GetProperty("caller").GetString() == "13800000006"), Is.EqualTo(1), "written once, not again at the next start");
        }
        finally
        {
            DeleteDatabase(database);
        }
    }

    [Test]
    public async Task WhatTheLastRunKeptForTheDatabaseIsWrittenAtTheNextStartBeforeItsOpenCallsAreClosedAsInterrupted()
    {
        var database = Path.Combine(Path.GetTempPath(), $"callcenter-kept-{Guid.NewGuid():N}.db");
        var databaseArgument = "--Database:ConnectionString=Data Source=" + database;
        var kept = database + "-unwritten.jsonl";
        try
        {
            await using (var platform = await PlatformProcess.StartAsync(databaseArgument))
            {
                using var caller = new UdpSipClient(platform.SipEndPoint);
                await AnswerACallAsync(platform, caller, "13800000008");
                await Task.Delay(700); // the open row is written off the SIP path
            } // SIGKILL: the call stays open in the database

            // As a stop leaves them when the database would not take the call's record: one JSON line a write, beside the database.
            string callId;
            await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + database + ";Pooling=False"))
            {
                await connection.OpenAsync();
                await using var open = connection.CreateCommand();
                open.CommandText = "SELECT id FROM calls_open";
                callId = (string)(await open.ExecuteScalarAsync())!;
            }

            var started = DateTimeOffset.UtcNow.AddSeconds(-20).ToString("O");
            var ended = DateTimeOffset.UtcNow.AddSeconds(-5).ToString("O");
            await File.WriteAllTextAsync(kept, $$$"""
                {"record":{"id":"{{{callId}}}","record":{"id":"{{{callId}}}","caller":"13800000008","dialed":"95500","startedAt":"{{{started}}}","endedAt":"{{{ended}}}","disposition":"caller-hung-up"},"open":null}}
                {"event":{"at":"{{{ended}}}","kind":"call.ended","callId":"{{{callId}}}","detail":"{\"kept\":true}"}}

                """);

            await using var restarted = await PlatformProcess.StartAsync(databaseArgument);
            var record = await restarted.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == "13800000008", TimeSpan.FromSeconds(5));

            Assert.That(record, Is.Not.Null, "the kept record was not written\n" + restarted.Output);
            Assert.That(record!.Value.GetProperty("disposition").GetString(), Is.EqualTo("caller-hung-up"), "the call's own record, not an interrupted one");
            Assert.That(File.Exists(kept) || File.Exists(kept + "-writing"), Is.False, "written, the file goes");
        }
        finally
        {
            File.Delete(kept);
            File.Delete(kept + "-writing");
            DeleteDatabase(database);
        }
    }

    private static async Task AnswerACallAsync(PlatformProcess platform, UdpSipClient caller, string number)
    {
        var callId = Guid.NewGuid().ToString("N");
        var sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40002 RTP/AVP 0\r\n";
        string Request(string method, string? toTag, string body) =>
            $"{method} sip:95500@127.0.0.1:{platform.SipPort} SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP 127.0.0.1:{caller.Port};branch=z9hG4bK{method}{callId}\r\n" +
            "Max-Forwards: 70\r\n" +
            $"From: <sip:{number}@127.0.0.1>;tag=shut\r\n" +
            $"To: <sip:95500@127.0.0.1>{(toTag is null ? "" : ";tag=" + toTag)}\r\n" +
            $"Call-ID: {callId}\r\nCSeq: 1 {method}\r\n" +
            $"Contact: <sip:{number}@127.0.0.1:{caller.Port}>\r\n" +
            (body.Length > 0 ? "Content-Type: application/sdp\r\n" : "") +
            $"Content-Length: {body.Length}\r\n\r\n{body}";
        await caller.SendAsync(Request("INVITE", null, sdp));
        var ok = await caller.ReceiveResponseAsync(TimeSpan.FromSeconds(5));
        Assert.That(ok?.StatusCode, Is.EqualTo(200), platform.Output);
        await caller.SendAsync(Request("ACK", ok!.To!.Tag, ""));
        await Task.Delay(300);
    }

    private static void DeleteDatabase(string database)
    {
        CallCenter.TestSupport.TestDatabases.DeleteSqliteFile(database);
    }
}
