using CallCenter.Telephony.Sip.Auth;
using CallCenter.Telephony.Sip.Registrar;
using Microsoft.Extensions.Configuration;

namespace CallCenter.Telephony.Tests.Sip.Registrar;

public sealed class SipRegistrarOptionsTests
{
    [Test]
    public void DefaultsAreValidAndOfferMd5AloneWhichEverySoftphoneInDebianAnswers()
    {
        var options = new SipRegistrarOptions();

        Assert.That(options.Validate(), Is.Empty);
        Assert.That(options.GetDigestAlgorithms(), Is.EqualTo(new[] { SipDigestAlgorithm.Md5 }));
    }

    [Test]
    public void UnknownAlgorithmIsReportedUnderItsConfigurationKey()
    {
        var errors = new SipRegistrarOptions { DigestAlgorithms = ["SHA-1"] }.Validate();

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.Contain("Sip:DigestAlgorithms").And.Contain("SHA-1"));
    }

    [Test]
    public void InvalidOptionsThrowNamingEveryBadKey()
    {
        var options = new SipRegistrarOptions { DigestAlgorithms = ["MD5", "md5"], MinExpires = 600, MaxExpires = 300, NonceLifetime = TimeSpan.Zero, Realm = "" };

        var error = Assert.Throws<InvalidOperationException>(options.ValidateOrThrow);

        Assert.That(error!.Message, Does.Contain("Sip:DigestAlgorithms")
            .And.Contain("Sip:MaxExpires")
            .And.Contain("Sip:DefaultExpires")
            .And.Contain("Sip:NonceLifetime")
            .And.Contain("Sip:Realm"));
    }

    [Test]
    public void ConfiguredAlgorithmsReplaceTheDefaultOrder()
    {
        // As the acceptance tests pass them: --Sip:DigestAlgorithms:0=MD5 --Sip:DigestAlgorithms:1=SHA-256.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Sip:DigestAlgorithms:0"] = "MD5",
                ["Sip:DigestAlgorithms:1"] = "SHA-256",
                ["Sip:MinExpires"] = "30",
                ["Sip:NonceLifetime"] = "00:10:00",
            })
            .Build();

        var options = configuration.GetSection(SipRegistrarOptions.SectionName).Get<SipRegistrarOptions>()!;

        Assert.Multiple(() =>
        {
            Assert.That(options.GetDigestAlgorithms(), Is.EqualTo(new[] { SipDigestAlgorithm.Md5, SipDigestAlgorithm.Sha256 }));
            Assert.That(options.MinExpires, Is.EqualTo(30));
            Assert.That(options.NonceLifetime, Is.EqualTo(TimeSpan.FromMinutes(10)));
            Assert.That(options.MaxExpires, Is.EqualTo(3600));
        });
    }
}
