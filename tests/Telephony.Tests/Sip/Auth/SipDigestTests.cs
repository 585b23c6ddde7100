using CallCenter.Telephony.Sip.Auth;

namespace CallCenter.Telephony.Tests.Sip.Auth;

public sealed class SipDigestTests
{
    [Test]
    public void ResponseMatchesTheRfc2617Example()
    {
        var ha1 = SipDigest.ComputeHa1(SipDigestAlgorithm.Md5, "Mufasa", "testrealm@host.com", "Circle Of Life");
        var response = SipDigest.ComputeResponse(
            SipDigestAlgorithm.Md5, ha1, "dcd98b7102dd2f0e8b11d0f600bfb0c093", "00000001", "0a4f113b", "auth", "GET", "/dir/index.html");

        Assert.That(response, Is.EqualTo("6629fae49393a05397450978507c4ef1"));
    }

    [Test]
    public void ResponseWithoutQopMatchesTheRfc2069Example()
    {
        var ha1 = SipDigest.ComputeHa1(SipDigestAlgorithm.Md5, "Mufasa", "testrealm@host.com", "CircleOfLife");
        var response = SipDigest.ComputeResponse(
            SipDigestAlgorithm.Md5, ha1, "dcd98b7102dd2f0e8b11d0f600bfb0c093", null, null, null, "GET", "/dir/index.html");

        Assert.That(response, Is.EqualTo("1949323746fe6a43ef61f9606e7febea"));
    }

    [TestCase(SipDigestAlgorithm.Md5, "8ca523f5e9506fed4657c9700eebdbec")]
    [TestCase(SipDigestAlgorithm.Sha256, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")]
    public void ResponseMatchesTheRfc7616Examples(SipDigestAlgorithm algorithm, string expected)
    {
        // RFC 7616 3.9.1: the same inputs under MD5 and SHA-256.
        var ha1 = SipDigest.ComputeHa1(algorithm, "Mufasa", "http-auth@example.org", "Circle of Life");
        var response = SipDigest.ComputeResponse(
            algorithm,
            ha1,
            "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
            "00000001",
            "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
            "auth",
            "GET",
            "/dir/index.html");

        Assert.That(response, Is.EqualTo(expected));
    }

    [Test]
    public void ResponseMatchesTheSipAuthExamplesDraftForAnInvite()
    {
        // draft-smith-sipping-auth-examples 3.3: bob / zanzibar in biloxi.com, qop=auth.
        var ha1 = SipDigest.ComputeHa1(SipDigestAlgorithm.Md5, "bob", "biloxi.com", "zanzibar");
        var response = SipDigest.ComputeResponse(
            SipDigestAlgorithm.Md5, ha1, "dcd98b7102dd2f0e8b11d0f600bfb0c093", "00000001", "0a4f113b", "auth", "INVITE", "sip:bob@biloxi.com");

        Assert.Multiple(() =>
        {
            Assert.That(ha1, Is.EqualTo("12af60467a33e8518da5c68bbff12b11"));
            Assert.That(response, Is.EqualTo("89eb0059246c02b2f6ee02c7961d5ea3"));
        });
    }

    [TestCase("MD5", SipDigestAlgorithm.Md5)]
    [TestCase("md5", SipDigestAlgorithm.Md5)]
    [TestCase("SHA-256", SipDigestAlgorithm.Sha256)]
    [TestCase("sha-256", SipDigestAlgorithm.Sha256)]
    public void AlgorithmNamesParseCaseInsensitively(string name, SipDigestAlgorithm expected)
    {
        Assert.That(SipDigest.TryParseAlgorithm(name, out var algorithm), Is.True);
        Assert.That(algorithm, Is.EqualTo(expected));
    }

    [TestCase("SHA-1")]
    [TestCase("MD5-sess")]
    [TestCase("SHA-512-256")]
    [TestCase("")]
    [TestCase(null)]
    public void UnsupportedAlgorithmNamesDoNotParse(string? name) =>
        Assert.That(SipDigest.TryParseAlgorithm(name, out _), Is.False);

    [Test]
    public void CredentialToStringLeavesTheHa1ValuesOut()
    {
        var credential = SipCredential.FromPassword("1001", "callcenter", "demo-1001");

        Assert.That(credential.ToString(), Does.Not.Contain(credential.Md5Ha1!).And.Not.Contain(credential.Sha256Ha1!));
    }
}
