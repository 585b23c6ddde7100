using CallCenter.Telephony.Sdp;

namespace CallCenter.Telephony.Tests.Sdp;

/// <summary>SDES a=crypto lines (RFC 4568): the suite we speak, its inline key, and what we refuse.</summary>
public sealed class SdesCryptoTests
{
    // RFC 4568 9.1's example key (30 bytes: 16 of key, 14 of salt).
    private const string Inline = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz";

    [Test]
    public void TheSuitesKeyAndSaltAreRead()
    {
        var crypto = SdesCrypto.TryParse($"1 AES_CM_128_HMAC_SHA1_80 inline:{Inline}|2^31");

        Assert.That(crypto, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(crypto!.Tag, Is.EqualTo(1));
            Assert.That(crypto.MasterKey, Has.Length.EqualTo(16));
            Assert.That(crypto.MasterSalt, Has.Length.EqualTo(14));
            Assert.That(Convert.ToBase64String([.. crypto.MasterKey, .. crypto.MasterSalt]), Is.EqualTo(Inline));
        });
    }

    [TestCase("1 AES_CM_128_HMAC_SHA1_32 inline:" + Inline)] // a suite we do not offer
    [TestCase("1 AES_256_CM_HMAC_SHA1_80 inline:" + Inline)]
    [TestCase("1 AES_CM_128_HMAC_SHA1_80 inline:" + Inline + "|2^20|1:4")] // lifetime and MKI: re-keying unsupported
    [TestCase("1 AES_CM_128_HMAC_SHA1_80 inline:c2hvcnQ=")] // too short a key
    [TestCase("1 AES_CM_128_HMAC_SHA1_80 inline:not base64!!")]
    [TestCase("x AES_CM_128_HMAC_SHA1_80 inline:" + Inline)]
    [TestCase("1 AES_CM_128_HMAC_SHA1_80")]
    public void WhatWeCannotUseIsRefused(string value) => Assert.That(SdesCrypto.TryParse(value), Is.Null);

    [Test]
    public void OurOwnKeyIsFreshAndReadsBack()
    {
        var first = SdesCrypto.Create(1);
        var second = SdesCrypto.Create(1);
        var read = SdesCrypto.TryParse(first.Format());

        Assert.Multiple(() =>
        {
            Assert.That(first.MasterKey, Is.Not.EqualTo(second.MasterKey), "a new key every time");
            Assert.That(read!.MasterKey, Is.EqualTo(first.MasterKey));
            Assert.That(read.MasterSalt, Is.EqualTo(first.MasterSalt));
        });
    }
}
