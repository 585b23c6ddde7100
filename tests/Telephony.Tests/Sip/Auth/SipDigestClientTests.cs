using System.Security.Cryptography;
using System.Text;
using CallCenter.Telephony.Sip.Auth;
using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Tests.Sip.Auth;

/// <summary>The client side of Digest, as the platform answers a trunk's 401 or 407, against the RFCs' worked examples.</summary>
public sealed class SipDigestClientTests
{
    [Test]
    public void TheAnswerToAnMd5ChallengeWithQopIsRfc2617sWorkedExample()
    {
        // RFC 2617 3.5: Mufasa / "Circle Of Life", GET /dir/index.html.
        var challenge = DigestChallenge.TryParse("Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");

        var answer = SipDigestClient.Answer(challenge!, "Mufasa", "Circle Of Life", "GET", "/dir/index.html", "0a4f113b", 1);

        Assert.That(DigestCredentialsParser.TryParse(answer, out var sent), Is.True, answer);
        Assert.Multiple(() =>
        {
            Assert.That(sent!.Response, Is.EqualTo("6629fae49393a05397450978507c4ef1"));
            Assert.That(sent.NonceCount, Is.EqualTo("00000001"));
            Assert.That(sent.Qop, Is.EqualTo("auth"));
            Assert.That(sent.ClientNonce, Is.EqualTo("0a4f113b"));
            Assert.That(sent.Opaque, Is.EqualTo("5ccc069c403ebaf9f0171e9517f40e41"), "opaque goes back as it came");
            Assert.That(answer, Does.Not.Contain("Circle Of Life"));
        });
    }

    [Test]
    public void TheAnswerToASha256ChallengeIsRfc7616sWorkedExample()
    {
        // RFC 7616 3.9.1: the SHA-256 response for Mufasa / "Circle of Life".
        var challenge = DigestChallenge.TryParse("Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=SHA-256, nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"");

        var answer = SipDigestClient.Answer(challenge!, "Mufasa", "Circle of Life", "GET", "/dir/index.html", "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", 1);

        Assert.That(DigestCredentialsParser.TryParse(answer, out var sent), Is.True, answer);
        Assert.That(sent!.Response, Is.EqualTo("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"));
        Assert.That(sent.Algorithm, Is.EqualTo("SHA-256"));
    }

    [Test]
    public void WithoutQopTheAnswerIsTheRfc2069FormWithoutCnonceOrCount()
    {
        var challenge = DigestChallenge.TryParse("Digest realm=\"carrier\", nonce=\"abc\"")!;

        var answer = SipDigestClient.Answer(challenge, "trunk1", "secret", "INVITE", "sip:13800000001@10.0.0.5", "ignored", 1);

        Assert.That(DigestCredentialsParser.TryParse(answer, out var sent), Is.True);
        var ha1 = SipDigest.ComputeHa1(SipDigestAlgorithm.Md5, "trunk1", "carrier", "secret");
        Assert.Multiple(() =>
        {
            Assert.That(sent!.Response, Is.EqualTo(SipDigest.ComputeResponse(SipDigestAlgorithm.Md5, ha1, "abc", null, null, null, "INVITE", "sip:13800000001@10.0.0.5")));
            Assert.That(sent.Qop, Is.Null);
            Assert.That(sent.ClientNonce, Is.Null);
        });
    }

    [TestCase("Basic realm=\"x\"", TestName = "another scheme")]
    [TestCase("Digest nonce=\"n\"", TestName = "no realm")]
    [TestCase("Digest realm=\"r\"", TestName = "no nonce")]
    [TestCase("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-512-256", TestName = "an algorithm we do not speak")]
    [TestCase("Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\"", TestName = "only auth-int")]
    public void AChallengeThePlatformCannotAnswerIsNotTaken(string value) =>
        Assert.That(DigestChallenge.TryParse(value), Is.Null);

    [Test]
    public void StaleIsRead() =>
        Assert.That(DigestChallenge.TryParse("Digest realm=\"r\", nonce=\"n2\", stale=TRUE")!.Stale, Is.True);

    // AnswerFinal: the challenge a trunk's final response carries, answered in the header its status asks for (RFC 3261
    // 22.2 for a UAS's 401, 22.3 for a proxy's 407), for the calls, the faxes and REGISTER alike. The digests below are
    // computed here from RFC 2617 3.2.2 with .NET's own MD5 and SHA-256, not with SipDigest.

    private const string TrunkUri = "sip:13800000001@carrier.test";

    private static SipResponse Final(int status, params (string Name, string Value)[] headers)
    {
        var response = new SipResponse { StatusCode = status, ReasonPhrase = "x" };
        foreach (var (name, value) in headers)
        {
            response.Headers.Add(name, value);
        }

        return response;
    }

#pragma warning disable CA5351 // RFC 2617's digest is MD5: checking it needs MD5.
    private static byte[] Md5(byte[] data) => MD5.HashData(data);
#pragma warning restore CA5351

    private static byte[] Sha256(byte[] data) => SHA256.HashData(data);

    private static string Hex(Func<byte[], byte[]> hash, string text) => Convert.ToHexStringLower(hash(Encoding.UTF8.GetBytes(text)));

    /// <summary>RFC 2617 3.2.2.1 (RFC 7616 3.4.1 for SHA-256) with qop=auth: KD(H(A1), nonce:nc:cnonce:qop:H(A2)).</summary>
    private static string ExpectedResponse(Func<byte[], byte[]> hash, string user, string realm, string password, string method, string uri, string nonce, string nc, string cnonce)
    {
        var ha1 = Hex(hash, $"{user}:{realm}:{password}");
        var ha2 = Hex(hash, $"{method}:{uri}");
        return Hex(hash, $"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}");
    }

    private static DigestCredentials Sent(string value)
    {
        Assert.That(DigestCredentialsParser.TryParse(value, out var sent), Is.True, value);
        return sent!;
    }

    [TestCase("REGISTER", "sip:carrier.test")]
    [TestCase("INVITE", TrunkUri)]
    public void A401WithWwwAuthenticateIsAnsweredWithAuthorization(string method, string uri)
    {
        var final = Final(401, (SipHeaderNames.WwwAuthenticate, "Digest realm=\"carrier.test\", nonce=\"n401abc\", qop=\"auth\", opaque=\"op1\""));

        var answer = SipDigestClient.AnswerFinal(final, "trunk1", "s3cret!", method, uri);

        Assert.That(answer, Is.Not.Null);
        var sent = Sent(answer!.Value.Value);
        Assert.Multiple(() =>
        {
            Assert.That(answer.Value.Header, Is.EqualTo(SipHeaderNames.Authorization));
            Assert.That(sent.Username, Is.EqualTo("trunk1"));
            Assert.That(sent.Realm, Is.EqualTo("carrier.test"));
            Assert.That(sent.Nonce, Is.EqualTo("n401abc"));
            Assert.That(sent.DigestUri, Is.EqualTo(uri));
            Assert.That(sent.Qop, Is.EqualTo("auth"));
            Assert.That(sent.NonceCount, Is.EqualTo("00000001"));
            Assert.That(sent.Opaque, Is.EqualTo("op1"));
            Assert.That(sent.ClientNonce, Is.Not.Null.And.Not.Empty);
            Assert.That(sent.Response, Is.EqualTo(ExpectedResponse(Md5, "trunk1", "carrier.test", "s3cret!", method, uri, "n401abc", "00000001", sent.ClientNonce!)));
            Assert.That(answer.Value.Value, Does.Not.Contain("s3cret!"));
        });
    }

    [TestCase("INVITE", TrunkUri)]
    [TestCase("REGISTER", "sip:carrier.test")]
    public void A407WithProxyAuthenticateIsAnsweredWithProxyAuthorization(string method, string uri)
    {
        var final = Final(407, (SipHeaderNames.ProxyAuthenticate, "Digest realm=\"sbc.carrier.test\", nonce=\"n407xyz\", qop=\"auth\", algorithm=MD5"));

        var answer = SipDigestClient.AnswerFinal(final, "trunk1", "s3cret!", method, uri);

        Assert.That(answer, Is.Not.Null);
        var sent = Sent(answer!.Value.Value);
        Assert.Multiple(() =>
        {
            Assert.That(answer.Value.Header, Is.EqualTo(SipHeaderNames.ProxyAuthorization));
            Assert.That(sent.Realm, Is.EqualTo("sbc.carrier.test"));
            Assert.That(sent.Nonce, Is.EqualTo("n407xyz"));
            Assert.That(sent.DigestUri, Is.EqualTo(uri));
            Assert.That(sent.Algorithm, Is.EqualTo("MD5"));
            Assert.That(sent.Opaque, Is.Null, "no opaque was offered");
            Assert.That(sent.Response, Is.EqualTo(ExpectedResponse(Md5, "trunk1", "sbc.carrier.test", "s3cret!", method, uri, "n407xyz", "00000001", sent.ClientNonce!)));
        });
    }

    [Test]
    public void A407WithSha256IsAnsweredWithASha256Digest()
    {
        var final = Final(407, (SipHeaderNames.ProxyAuthenticate, "Digest realm=\"sbc\", nonce=\"n256\", qop=\"auth\", algorithm=SHA-256"));

        var answer = SipDigestClient.AnswerFinal(final, "trunk1", "pw", "INVITE", TrunkUri);

        var sent = Sent(answer!.Value.Value);
        Assert.Multiple(() =>
        {
            Assert.That(answer.Value.Header, Is.EqualTo(SipHeaderNames.ProxyAuthorization));
            Assert.That(sent.Algorithm, Is.EqualTo("SHA-256"));
            Assert.That(sent.Response, Is.EqualTo(ExpectedResponse(Sha256, "trunk1", "sbc", "pw", "INVITE", TrunkUri, "n256", "00000001", sent.ClientNonce!)));
        });
    }

    [Test]
    public void EachAnswerHasItsOwnClientNonce()
    {
        var final = Final(407, (SipHeaderNames.ProxyAuthenticate, "Digest realm=\"sbc\", nonce=\"n\", qop=\"auth\""));

        var first = Sent(SipDigestClient.AnswerFinal(final, "u", "p", "INVITE", TrunkUri)!.Value.Value);
        var second = Sent(SipDigestClient.AnswerFinal(final, "u", "p", "INVITE", TrunkUri)!.Value.Value);

        Assert.That(first.ClientNonce, Is.Not.EqualTo(second.ClientNonce), "a chosen-plaintext attack on the password gets no fixed cnonce");
    }

    [Test]
    public void ATrunkOfferingSeveralAlgorithmsIsAnsweredWithTheTopmostThePlatformSpeaks()
    {
        // RFC 8760 2.4: a UAS may offer several challenges, most preferred first; the UAC uses the topmost it supports.
        var final = Final(
            407,
            (SipHeaderNames.ProxyAuthenticate, "Digest realm=\"sbc\", nonce=\"n1\", qop=\"auth\", algorithm=SHA-512-256"),
            (SipHeaderNames.ProxyAuthenticate, "Digest realm=\"sbc\", nonce=\"n2\", qop=\"auth\", algorithm=SHA-256"),
            (SipHeaderNames.ProxyAuthenticate, "Digest realm=\"sbc\", nonce=\"n3\", qop=\"auth\", algorithm=MD5"));

        var answer = SipDigestClient.AnswerFinal(final, "trunk1", "pw", "INVITE", TrunkUri);

        Assert.That(answer, Is.Not.Null, "SHA-512-256 is not spoken, but SHA-256 and MD5 are offered too");
        var sent = Sent(answer!.Value.Value);
        Assert.Multiple(() =>
        {
            Assert.That(sent.Algorithm, Is.EqualTo("SHA-256"));
            Assert.That(sent.Nonce, Is.EqualTo("n2"));
        });
    }

    [Test]
    public void ATrunkListingMd5BeforeSha256IsStillAnsweredWithSha256()
    {
        var final = Final(
            401,
            (SipHeaderNames.WwwAuthenticate, "Digest realm=\"sbc\", nonce=\"n1\", qop=\"auth\", algorithm=MD5"),
            (SipHeaderNames.WwwAuthenticate, "Digest realm=\"sbc\", nonce=\"n2\", qop=\"auth\", algorithm=SHA-256"));

        var sent = Sent(SipDigestClient.AnswerFinal(final, "trunk1", "pw", "INVITE", TrunkUri)!.Value.Value);

        Assert.That((sent.Algorithm, sent.Nonce), Is.EqualTo(("SHA-256", "n2")), "the stronger algorithm, not the weaker listed first");
    }

    [Test]
    public void A401WithOnlyAProxyChallengeOrA407WithOnlyAServerChallengeIsNotAnswered()
    {
        const string challenge = "Digest realm=\"sbc\", nonce=\"n\"";
        Assert.Multiple(() =>
        {
            Assert.That(SipDigestClient.AnswerFinal(Final(401, (SipHeaderNames.ProxyAuthenticate, challenge)), "u", "p", "INVITE", TrunkUri), Is.Null);
            Assert.That(SipDigestClient.AnswerFinal(Final(407, (SipHeaderNames.WwwAuthenticate, challenge)), "u", "p", "INVITE", TrunkUri), Is.Null);
            Assert.That(SipDigestClient.AnswerFinal(Final(407), "u", "p", "INVITE", TrunkUri), Is.Null, "no challenge at all");
            Assert.That(SipDigestClient.AnswerFinal(Final(401, (SipHeaderNames.WwwAuthenticate, "Basic realm=\"sbc\"")), "u", "p", "INVITE", TrunkUri), Is.Null);
        });
    }

    [TestCase(200)]
    [TestCase(180)]
    [TestCase(403)]
    [TestCase(404)]
    [TestCase(486)]
    [TestCase(503)]
    public void AnyOtherStatusIsNotAnsweredEvenWithAChallengeHeader(int status)
    {
        var final = Final(
            status,
            (SipHeaderNames.WwwAuthenticate, "Digest realm=\"sbc\", nonce=\"n\""),
            (SipHeaderNames.ProxyAuthenticate, "Digest realm=\"sbc\", nonce=\"n\""));

        Assert.That(SipDigestClient.AnswerFinal(final, "u", "p", "INVITE", TrunkUri), Is.Null);
    }
}
