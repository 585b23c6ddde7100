using CallCenter.Telephony.Sip.Auth;

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
}
