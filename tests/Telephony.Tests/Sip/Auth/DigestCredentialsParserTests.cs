using CallCenter.Telephony.Sip.Auth;

namespace CallCenter.Telephony.Tests.Sip.Auth;

public sealed class DigestCredentialsParserTests
{
    [Test]
    public void ParserReadsEveryParameterInAnyOrderWithCaseInsensitiveNames()
    {
        const string Value = "digest RESPONSE=\"abc123\", Nc=00000002, username=\"1001\",\r\n uri=\"sip:pbx.example.com\","
            + " Realm=\"callcenter\", ALGORITHM=SHA-256, cnonce=\"c\\\"n\", nonce=\"n1\", qop=auth, opaque=\"op\", extra=\"x\"";

        Assert.That(DigestCredentialsParser.TryParse(Value, out var c), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(c!.Username, Is.EqualTo("1001"));
            Assert.That(c.Realm, Is.EqualTo("callcenter"));
            Assert.That(c.Nonce, Is.EqualTo("n1"));
            Assert.That(c.DigestUri, Is.EqualTo("sip:pbx.example.com"));
            Assert.That(c.Response, Is.EqualTo("abc123"));
            Assert.That(c.Algorithm, Is.EqualTo("SHA-256"));
            Assert.That(c.ClientNonce, Is.EqualTo("c\"n"));
            Assert.That(c.Qop, Is.EqualTo("auth"));
            Assert.That(c.NonceCount, Is.EqualTo("00000002"));
            Assert.That(c.Opaque, Is.EqualTo("op"));
        });
    }

    [Test]
    public void ParserUnescapesQuotedPairs()
    {
        const string Value = """Digest username="a\\b\"c", realm="r", nonce="n", uri="sip:h", response="x" """;

        Assert.That(DigestCredentialsParser.TryParse(Value, out var c), Is.True);
        Assert.That(c!.Username, Is.EqualTo("a\\b\"c"));
    }

    [TestCase("NoOneKnowsThisScheme opaque-data=here")]
    [TestCase("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")]
    [TestCase("Digest")]
    [TestCase("Digestusername=\"a\", realm=\"r\", nonce=\"n\", uri=\"sip:h\", response=\"x\"")]
    [TestCase("Digest realm=\"r\", nonce=\"n\", uri=\"sip:h\", response=\"x\"")]
    [TestCase("Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"sip:h\"")]
    [TestCase("Digest username=\"a\", username=\"b\", realm=\"r\", nonce=\"n\", uri=\"sip:h\", response=\"x\"")]
    [TestCase("Digest username=\"a, realm=\"r\", nonce=\"n\", uri=\"sip:h\", response=\"x\"")]
    [TestCase("Digest username=\"a\" realm=\"r\", nonce=\"n\", uri=\"sip:h\", response=\"x\"")]
    [TestCase("Digest username=, realm=\"r\", nonce=\"n\", uri=\"sip:h\", response=\"x\"")]
    [TestCase("Digest username=\"a\\")]
    [TestCase("")]
    [TestCase(null)]
    public void ParserRefusesWhatIsNotADigestResponse(string? value) =>
        Assert.That(DigestCredentialsParser.TryParse(value, out _), Is.False);

    [Test]
    public void ParserRefusesAnOverlongValue()
    {
        var value = "Digest username=\"" + new string('a', DigestCredentialsParser.MaxLength) + "\", realm=\"r\", nonce=\"n\", uri=\"sip:h\", response=\"x\"";

        Assert.That(DigestCredentialsParser.TryParse(value, out _), Is.False);
    }
}
