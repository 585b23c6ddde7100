using System.Buffers;
using System.Diagnostics;
using System.Text;
using CallCenter.Telephony.Sip.Parsing;

namespace CallCenter.Telephony.Tests.Sip.Parsing;

/// <summary>Every length is bounded, and hostile inputs are refused quickly with the right fault.</summary>
public sealed class SipParserLimitsTests
{
    private static string Head(string extraHeaders, string body = "") =>
        "OPTIONS sip:bob@example.com SIP/2.0\r\n" +
        "Via: SIP/2.0/TCP pc33.example.org;branch=z9hG4bK776asdhds\r\n" +
        "To: <sip:bob@example.com>\r\n" +
        "From: <sip:alice@example.org>;tag=1928301774\r\n" +
        "Call-ID: limits@pc33.example.org\r\n" +
        "CSeq: 1 OPTIONS\r\n" +
        extraHeaders +
        "Content-Length: " + Encoding.UTF8.GetByteCount(body) + "\r\n\r\n" + body;

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    [Test]
    public void DatagramOverSixtyFourKibIsRejectedAsTooLarge()
    {
        var message = Bytes(Head("", new string('x', 65536)));
        var result = SipParser.ParseDatagram(message);
        Assert.That(result.Error?.Fault, Is.EqualTo(SipParseFault.TooLarge));
        Assert.That(result.Error!.StatusCode, Is.EqualTo(513));
    }

    [Test]
    public void StreamMessageDeclaringMoreThanTheLimitIsRejectedBeforeTheBodyArrives()
    {
        var head = Bytes(Head("").Replace("Content-Length: 0", "Content-Length: 70000", StringComparison.Ordinal));
        var result = SipParser.ParseStream(new ReadOnlySequence<byte>(head));
        Assert.That(result.Error?.Fault, Is.EqualTo(SipParseFault.TooLarge));
        Assert.That(result.Error!.StatusCode, Is.EqualTo(513));
        Assert.That(result.Error.LosesFraming, Is.True);
    }

    [Test]
    public void StreamWithoutEndOfHeadersIsRejectedAtTheLimit()
    {
        var endless = Bytes("OPTIONS sip:bob@example.com SIP/2.0\r\n" + string.Concat(Enumerable.Repeat("X-Filler: abcdefghijklmnopqrstuvwxyz\r\n", 2000)));
        var result = SipParser.ParseStream(new ReadOnlySequence<byte>(endless));
        Assert.That(result.Error?.Fault, Is.EqualTo(SipParseFault.TooLarge));
        Assert.That(result.Error!.LosesFraming, Is.True);
    }

    [Test]
    public void TooManyHeadersAreRejected()
    {
        var limits = new SipParserLimits { MaxHeaderCount = 20 };
        var message = Bytes(Head(string.Concat(Enumerable.Range(0, 30).Select(i => "X-H" + i + ": v\r\n"))));
        var result = SipParser.ParseDatagram(message, limits);
        Assert.That(result.Error?.Fault, Is.EqualTo(SipParseFault.TooManyHeaders));
        Assert.That(result.Error!.StatusCode, Is.EqualTo(513));
        Assert.That(SipParser.ParseDatagram(Bytes(Head("X-One: v\r\n")), limits).Status, Is.EqualTo(SipParseStatus.Message));
    }

    [Test]
    public void OverLongHeaderLineIsRejected()
    {
        var message = Bytes(Head("Subject: " + new string('s', 9000) + "\r\n"));
        Assert.That(SipParser.ParseDatagram(message).Error?.Fault, Is.EqualTo(SipParseFault.LineTooLong));
    }

    [Test]
    public void OverLongFoldedHeaderIsRejected()
    {
        var folded = "Subject: a\r\n" + string.Concat(Enumerable.Repeat(" " + new string('s', 100) + "\r\n", 100));
        Assert.That(SipParser.ParseDatagram(Bytes(Head(folded))).Error?.Fault, Is.EqualTo(SipParseFault.LineTooLong));
    }

    [Test]
    public void EndlessLineOnAStreamIsRejectedOnceOverTheLineLimit()
    {
        var line = Bytes("OPTIONS sip:bob@example.com SIP/2.0\r\nSubject: " + new string('s', 9000));
        var result = SipParser.ParseStream(new ReadOnlySequence<byte>(line));
        Assert.That(result.Error?.Fault, Is.EqualTo(SipParseFault.LineTooLong));
        Assert.That(SipParser.ParseStream(new ReadOnlySequence<byte>(line[..4000])).Status, Is.EqualTo(SipParseStatus.NeedMoreData));
    }

    [Test]
    public void TooManyViaValuesAreRejected()
    {
        var vias = "Via: " + string.Join(", ", Enumerable.Range(0, 200).Select(i => "SIP/2.0/UDP h" + i)) + "\r\n";
        Assert.That(SipParser.ParseDatagram(Bytes(Head(vias))).Error?.Fault, Is.EqualTo(SipParseFault.TooManyItems));
    }

    [Test]
    public void TooManyParametersAreRejected()
    {
        var contact = "Contact: <sip:a@b>" + string.Concat(Enumerable.Range(0, 100).Select(i => ";p" + i)) + "\r\n";
        var result = SipParser.ParseDatagram(Bytes(Head(contact)));
        Assert.That(result.Status, Is.EqualTo(SipParseStatus.Rejected));
        Assert.That(result.Error!.Detail, Does.Contain("too many parameters"));
    }

    /// <summary>Inputs near 64 KiB shaped to hurt a parser: long runs of separators, escapes, quotes, folds.</summary>
    private static IEnumerable<byte[]> HostileInputs()
    {
        var limits = 60000;
        yield return Bytes(Head("X-Semis: " + new string(';', 8000) + "\r\n", new string('b', limits - 1000)));
        yield return Bytes(Head("Contact: " + string.Concat(Enumerable.Repeat("<sip:a@b>,", 700)) + "<sip:a@b>\r\n"));
        yield return Bytes(Head("To: \"" + string.Concat(Enumerable.Repeat("\\\"", 3900)) + "\" <sip:a@b>\r\n"));
        yield return Bytes(Head("To: <sip:" + string.Concat(Enumerable.Repeat("%41", 2600)) + "@b>\r\n"));
        yield return Bytes(Head(string.Concat(Enumerable.Repeat("X-Fold: a\r\n b\r\n c\r\n", 190))));
        yield return Bytes("INVITE " + new string('a', 8000) + " SIP/2.0\r\n" + string.Concat(Enumerable.Repeat("\r\n", 20000)));
        yield return Enumerable.Repeat((byte)'\r', 65536).ToArray();
        yield return Bytes(new string('\n', 30000) + "OPTIONS " + new string(' ', 30000));
    }

    [Test]
    public void HostileSixtyFourKibInputsParseQuickly()
    {
        var inputs = HostileInputs().ToList();
        foreach (var input in inputs)
        {
            // Warm up (JIT) and check the result kind, then time a batch.
            Assert.That(SipParser.ParseDatagram(input).Status, Is.AnyOf(SipParseStatus.Message, SipParseStatus.Rejected, SipParseStatus.KeepAlive));
            SipParser.ParseStream(new ReadOnlySequence<byte>(input));
        }

        const int Rounds = 20;
        var sw = Stopwatch.StartNew();
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var input in inputs)
            {
                SipParser.ParseDatagram(input);
                SipParser.ParseStream(new ReadOnlySequence<byte>(input));
            }
        }

        var perParse = sw.Elapsed / (Rounds * inputs.Count * 2);

        // A few hundred microseconds is typical; 50 ms per parse leaves room for a noisy shared machine.
        Assert.That(perParse, Is.LessThan(TimeSpan.FromMilliseconds(50)));
    }
}
