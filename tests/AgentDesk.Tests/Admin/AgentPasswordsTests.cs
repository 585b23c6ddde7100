using CallCenter.AgentDesk.Admin;
using Microsoft.AspNetCore.Identity;

namespace CallCenter.AgentDesk.Tests.Admin;

public sealed class AgentPasswordsTests
{
    [Test]
    public void TheSipHashesAreTheDigestHa1OfUserRealmAndPassword()
    {
        // RFC 2617 3.5's user, realm and password; the SHA-256 value from sha256sum of the same "user:realm:password".
        var credentials = AgentPasswords.For("Mufasa", "testrealm@host.com", "Circle Of Life");

        Assert.That(credentials.SipRealm, Is.EqualTo("testrealm@host.com"));
        Assert.That(credentials.SipHa1Md5, Is.EqualTo("939e7578ed9e3c518a452acee763bce9"));
        Assert.That(credentials.SipHa1Sha256, Is.EqualTo("3ba6cd94661c5ef34598040c868f13b8775df29109986be50ad35ae537dd3aa4"));
    }

    [Test]
    public void TheDeskHashIsAPbkdf2HashOfThePasswordNotThePassword()
    {
        var credentials = AgentPasswords.For("1005", "callcenter", "new-password-1005");

        Assert.That(credentials.DeskPasswordHash, Does.Not.Contain("new-password-1005"));
        var hasher = new PasswordHasher<string>();
        Assert.That(hasher.VerifyHashedPassword("1005", credentials.DeskPasswordHash, "new-password-1005"), Is.EqualTo(PasswordVerificationResult.Success));
        Assert.That(hasher.VerifyHashedPassword("1005", credentials.DeskPasswordHash, "other"), Is.EqualTo(PasswordVerificationResult.Failed));
    }
}
