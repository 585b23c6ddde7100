using CallCenter.FaxSms.Email;

namespace CallCenter.FaxSms.Tests;

public sealed class SmtpConnectionPolicyTests
{
    private static readonly DateTimeOffset _now = new(2026, 12, 4, 2, 0, 0, TimeSpan.Zero);
    private static readonly SmtpOptions _options = new() { IdleSeconds = 30, MessagesPerConnection = 100 };

    [Test]
    public void AConnectionUsedAMomentAgoCarriesTheNextMessageAtOnce() =>
        Assert.That(SmtpConnectionPolicy.Decide(true, _now.AddMilliseconds(-500), 5, _now, _options), Is.EqualTo(SmtpReuse.Use));

    [Test]
    public void OneIdleForAWhileIsCheckedWithNoopFirst() =>
        Assert.That(SmtpConnectionPolicy.Decide(true, _now.AddSeconds(-10), 5, _now, _options), Is.EqualTo(SmtpReuse.CheckFirst));

    [TestCase(false, -1, 5, TestName = "closed")]
    [TestCase(true, -31, 5, TestName = "idle longer than IdleSeconds")]
    [TestCase(true, -1, 100, TestName = "carried MessagesPerConnection already")]
    public void OtherwiseItIsReplaced(bool connected, int idleSeconds, int sent) =>
        Assert.That(SmtpConnectionPolicy.Decide(connected, _now.AddSeconds(idleSeconds), sent, _now, _options), Is.EqualTo(SmtpReuse.Replace));

    [Test]
    public void TheLimitsAreCheckedInTheConfiguration()
    {
        var options = new MailOptions { From = "service@example.cn", Smtp = new SmtpOptions { Host = "smtp.example.cn", MaxConnections = 0 } };
        Assert.That(options.Validate(), Has.Some.Contains("MaxConnections"));
        options.Smtp.MaxConnections = 4;
        Assert.That(options.Validate(), Is.Empty);
    }
}
