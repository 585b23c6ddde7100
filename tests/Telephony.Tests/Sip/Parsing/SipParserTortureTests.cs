using System.Text;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Parsing;

namespace CallCenter.Telephony.Tests.Sip.Parsing;

/// <summary>RFC 4475: every torture message against its verdict in expected.tsv, and fields of the valid ones.</summary>
public sealed class SipParserTortureTests
{
    public static IEnumerable<TestCaseData> Cases() =>
        TortureMessages.Rows().Select(r => new TestCaseData(r.File, r.Expect).SetName("Torture " + r.File + " is " + r.Expect));

    [Test]
    public void ExpectedTableListsAllFortyNineMessages()
    {
        var files = System.IO.Directory.GetFiles(TortureMessages.Directory, "*.dat").Select(Path.GetFileName).Order().ToList();
        Assert.That(TortureMessages.Rows().Select(r => r.File).Order().ToList(), Is.EqualTo(files));
        Assert.That(files, Has.Count.EqualTo(49));
    }

    [TestCaseSource(nameof(Cases))]
    public void TortureMessageGetsTheExpectedVerdict(string file, string expect)
    {
        var result = SipParser.ParseDatagram(TortureMessages.Read(file));
        var describe = result.Error?.ToString() ?? result.Status.ToString();
        switch (expect)
        {
            case "valid":
            case "reject:416":
            case "reject:415":
            case "reject:420":
            case "reject:406":
            case "challenge:401":
                // The UAS decides these later; the parser must deliver the message.
                Assert.That(result.Status, Is.EqualTo(SipParseStatus.Message), describe);
                Assert.That(result.Message, Is.Not.Null);
                break;
            case "reject:400":
            case "reject:505":
                AssertRejectedRequest(result, int.Parse(expect[7..], System.Globalization.CultureInfo.InvariantCulture));
                break;
            case "reject-or-lenient:400":
                if (result.Status != SipParseStatus.Message)
                {
                    AssertRejectedRequest(result, 400);
                }

                break;
            case "reject:501-or-400":
                Assert.That(result.Status, Is.EqualTo(SipParseStatus.Rejected), describe);
                Assert.That(result.Error!.StatusCode, Is.AnyOf(400, 501));
                Assert.That(result.Error.Partial, Is.Not.Null);
                break;
            case "drop":
                Assert.That(result.Status, Is.EqualTo(SipParseStatus.Rejected), describe);
                Assert.That(result.Error!.StatusCode, Is.Zero);
                Assert.That(result.Error.Partial, Is.Null);
                break;
            case "no-crash":
                Assert.That(result.Status, Is.AnyOf(SipParseStatus.Message, SipParseStatus.Rejected));
                break;
            default:
                Assert.Fail("unknown expectation " + expect);
                break;
        }
    }

    private static void AssertRejectedRequest(SipParseResult result, int statusCode)
    {
        Assert.That(result.Status, Is.EqualTo(SipParseStatus.Rejected), result.Message is null ? "" : "parsed a message");
        Assert.That(result.Error!.StatusCode, Is.EqualTo(statusCode), result.Error.ToString());
        Assert.That(result.Error.Partial, Is.Not.Null, "a rejected request keeps what it can for the error response");
    }

    private static SipRequest ParseRequest(string file)
    {
        var result = SipParser.ParseDatagram(TortureMessages.Read(file));
        Assert.That(result.Status, Is.EqualTo(SipParseStatus.Message), result.Error?.ToString());
        return (SipRequest)result.Message!;
    }

    [Test]
    public void WsinvUndoesFoldingCompactNamesAndOddWhitespace()
    {
        var m = ParseRequest("wsinv.dat");
        Assert.That(m.Method, Is.EqualTo("INVITE"));
        Assert.That(m.To!.Uri.User, Is.EqualTo("vivekg"));
        Assert.That(m.To.Tag, Is.EqualTo("1918181833n"));
        Assert.That(m.From!.DisplayName, Is.EqualTo("J Rosenberg \\\""));
        Assert.That(m.From.Tag, Is.EqualTo("98asjd8"));
        Assert.That(m.MaxForwards, Is.EqualTo(68));
        Assert.That(m.CSeq, Is.EqualTo(new SipCSeq(9, "INVITE")));
        Assert.That(m.Vias.Select(v => (v.Transport, v.Host, v.Branch)), Is.EqualTo(new[]
        {
            ("UDP", "192.0.2.2", (string?)"390skdjuw"),
            ("TCP", "spindle.example.com", "z9hG4bK9ikj8"),
            ("UDP", "192.168.255.111", "z9hG4bK30239"),
        }));
        Assert.That(m.Headers.Get("Subject"), Is.EqualTo(""));
        Assert.That(m.Headers.Get("NewFangledHeader"), Is.EqualTo("newfangled value continued newfangled value"));
        Assert.That(m.Headers.Get("UnknownHeaderWithUnusualValue"), Is.EqualTo(";;,,;;,;"));
        Assert.That(m.Routes.Single().Uri.LooseRouter, Is.True);
        var contact = m.Contacts.Single();
        Assert.That(contact.DisplayName, Is.EqualTo("Quoted string \"\""));
        Assert.That(contact.Parameters.Select(p => (p.Key, p.Value)), Is.EqualTo(new[]
        {
            ("newparam", (string?)"newvalue"), ("secondparam", null), ("q", "0.33"),
        }));
        Assert.That(m.Body.Length, Is.EqualTo(150));
        Assert.That(m.ContentType, Is.EqualTo("application/sdp"));
    }

    [Test]
    public void Esc01UnescapesUserAndParameters()
    {
        var m = ParseRequest("esc01.dat");
        Assert.That(m.RequestUri.User, Is.EqualTo("sips:user@example.com"));
        Assert.That(m.To!.Uri.User, Is.EqualTo("user"));
        Assert.That(m.From!.Uri.User, Is.EqualTo("I have spaces"));
        var uri = m.Contacts.Single().Uri;
        Assert.That(uri.User, Is.EqualTo("caller"));
        Assert.That(uri.Parameters.Select(p => (p.Key, p.Value)), Is.EqualTo(new[] { ("lr", (string?)null), ("name", "value%41") }));
    }

    [Test]
    public void EscnullKeepsTheNulAndTheFullUser()
    {
        var m = ParseRequest("escnull.dat");
        Assert.That(m.To!.Uri.User, Is.EqualTo("null-\0-null"));
        Assert.That(m.To.Uri.User!, Has.Length.EqualTo(11));
        Assert.That(m.Contacts.Select(c => c.Uri.User), Is.EqualTo(new[] { "\0", "\0\0" }));
    }

    [Test]
    public void Esc02TreatsPercentOutsideUrisAsText()
    {
        var m = ParseRequest("esc02.dat");
        Assert.That(m.Method, Is.EqualTo("RE%47IST%45R"));
        Assert.That(m.From!.DisplayName, Is.EqualTo("%Z%45"));
        Assert.That(m.Contacts, Has.Count.EqualTo(2), "C%6Fntact is another header, not Contact");
        Assert.That(m.Headers.Get("C%6Fntact"), Is.EqualTo("<sip:alias2@host2.example.com>"));
    }

    [Test]
    public void LwsdispReadsTokenDisplayNameBeforeAngleBracket()
    {
        var m = ParseRequest("lwsdisp.dat");
        Assert.That(m.From!.DisplayName, Is.EqualTo("caller"));
        Assert.That(m.From.Uri.User, Is.EqualTo("caller"));
        Assert.That(m.From.Tag, Is.EqualTo("323"));
    }

    [Test]
    public void Cparam01PutsParameterOutsideBracketsOnTheHeader()
    {
        var contact = ParseRequest("cparam01.dat").Contacts.Single();
        Assert.That(contact.Parameters.Contains("unknownparam"), Is.True);
        Assert.That(contact.Uri.Parameters, Is.Empty);
        Assert.That(contact.Uri.User, Is.EqualTo("+19725552222"));
    }

    [Test]
    public void Cparam02PutsParameterInsideBracketsOnTheUri()
    {
        var contact = ParseRequest("cparam02.dat").Contacts.Single();
        Assert.That(contact.Uri.Parameters.Contains("unknownparam"), Is.True);
        Assert.That(contact.Parameters, Is.Empty);
    }

    [Test]
    public void DblreqParsesOnlyTheFirstMessage()
    {
        var m = ParseRequest("dblreq.dat");
        Assert.That(m.Method, Is.EqualTo("REGISTER"));
        Assert.That(m.Body.Length, Is.Zero);
        Assert.That(m.CallId, Is.EqualTo("dblreq.0ha0isndaksdj99sdfafnl3lk233412"));
    }

    [Test]
    public void Mpart01KeepsTheBinaryBodyOfContentLengthBytes()
    {
        var bytes = TortureMessages.Read("mpart01.dat");
        var m = ParseRequest("mpart01.dat");
        Assert.That(m.Body.Length, Is.EqualTo(553));
        Assert.That(m.Body.ToArray(), Is.EqualTo(bytes[^553..]));
        Assert.That(m.ContentType, Does.StartWith("multipart/mixed"));
    }

    [Test]
    public void IntmethKeepsEveryTokenCharacterAndTheUnusualUri()
    {
        var m = ParseRequest("intmeth.dat");
        Assert.That(m.Method, Is.EqualTo("!interesting-Method0123456789_*+`.%indeed'~"));
        Assert.That(m.RequestUri.User, Is.EqualTo("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*"));
        Assert.That(m.RequestUri.Password, Is.EqualTo("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)"));
        Assert.That(m.To!.DisplayName, Is.EqualTo("BEL:\a NUL:\0 DEL:\x7F"));
        Assert.That(m.From!.DisplayName, Is.EqualTo("token1~` token2'+_ token3*%!.-"));
        Assert.That(m.TopVia!.Branch, Is.EqualTo("z9hG4bK-.!%66*_+`'~"));
        Assert.That(m.Headers.Get("extensionHeader-!.%*+_`'~"), Is.EqualTo("\uFEFF大停電"));
    }

    [Test]
    public void SemiuriKeepsTheSemicolonInTheUser()
    {
        var m = ParseRequest("semiuri.dat");
        Assert.That(m.RequestUri.User, Is.EqualTo("user;par=u@example.net"));
        Assert.That(m.RequestUri.Host, Is.EqualTo("example.com"));
        Assert.That(m.RequestUri.Parameters, Is.Empty);
    }

    [Test]
    public void UnknownSchemesStayOpaque()
    {
        var m = ParseRequest("unksm2.dat");
        Assert.That((m.To!.Uri.Scheme, m.To.Uri.Opaque), Is.EqualTo(("isbn", (string?)"2983792873")));
        Assert.That((m.From!.Uri.Scheme, m.From.Uri.Opaque), Is.EqualTo(("http", (string?)"//www.example.com")));
        Assert.That(m.Contacts.Single().Uri.Scheme, Is.EqualTo("name"));
        var novel = ParseRequest("novelsc.dat");
        Assert.That((novel.RequestUri.Scheme, novel.RequestUri.Opaque), Is.EqualTo(("soap.beep", (string?)"//192.0.2.103:3002")));
    }

    [Test]
    public void Inv2543TakesTheRestOfTheDatagramAsBody()
    {
        var bytes = TortureMessages.Read("inv2543.dat");
        var m = ParseRequest("inv2543.dat");
        var headEnd = Encoding.ASCII.GetString(bytes).IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
        Assert.That(m.Body.Length, Is.EqualTo(bytes.Length - headEnd));
        Assert.That(m.MaxForwards, Is.Null);
        Assert.That(m.TopVia!.Branch, Is.Null);
    }

    [Test]
    public void ResponsesKeepUtf8AndEmptyReasonPhrases()
    {
        var unreason = (SipResponse)SipParser.ParseDatagram(TortureMessages.Read("unreason.dat")).Message!;
        Assert.That(unreason.StatusCode, Is.EqualTo(200));
        Assert.That(unreason.ReasonPhrase, Does.StartWith("= 2**3 * 5**2 но"));
        var noreason = (SipResponse)SipParser.ParseDatagram(TortureMessages.Read("noreason.dat")).Message!;
        Assert.That((noreason.StatusCode, noreason.ReasonPhrase), Is.EqualTo((100, "")));
    }

    [TestCase("scalar02.dat", SipParseFault.ValueOutOfRange)]
    [TestCase("ncl.dat", SipParseFault.NegativeContentLength)]
    [TestCase("clerr.dat", SipParseFault.ContentLengthMismatch)]
    [TestCase("mcl01.dat", SipParseFault.DuplicateSingleValueHeader)]
    [TestCase("multi01.dat", SipParseFault.DuplicateSingleValueHeader)]
    [TestCase("insuf.dat", SipParseFault.MissingRequiredHeader)]
    [TestCase("mismatch01.dat", SipParseFault.CSeqMethodMismatch)]
    [TestCase("mismatch02.dat", SipParseFault.CSeqMethodMismatch)]
    [TestCase("badvers.dat", SipParseFault.BadVersion)]
    [TestCase("baddn.dat", SipParseFault.BadHeaderValue)]
    [TestCase("badinv01.dat", SipParseFault.BadHeaderValue)]
    [TestCase("bigcode.dat", SipParseFault.BadStatusCode)]
    public void RejectedTortureMessageNamesItsFault(string file, SipParseFault fault)
    {
        var result = SipParser.ParseDatagram(TortureMessages.Read(file));
        Assert.That(result.Error?.Fault, Is.EqualTo(fault), result.Error?.ToString());
    }

    [Test]
    public void PartialRequestCarriesWhatTheErrorResponseNeeds()
    {
        var error = SipParser.ParseDatagram(TortureMessages.Read("badvers.dat")).Error!;
        var partial = error.Partial!;
        Assert.That(partial.Method, Is.EqualTo("OPTIONS"));
        Assert.That(partial.CallId, Is.EqualTo("badvers.31417@c.example.com"));
        Assert.That(partial.CSeq, Is.EqualTo(new SipCSeq(1, "OPTIONS")));
        Assert.That(partial.TopVia!.Branch, Is.EqualTo("z9hG4bKkdjuw"));
        Assert.That(partial.From!.Tag, Is.EqualTo("qweoiqpe"));
    }
}
