using CallCenter.FaxSms.Outbox;

namespace CallCenter.FaxSms.Tests;

public sealed class RecipientsTests
{
    [TestCase("13800000001", "+8613800000001")]
    [TestCase("138 0000 0001", "+8613800000001")]
    [TestCase("+86 138-0000-0001", "+8613800000001")]
    [TestCase("008613800000001", "+8613800000001")]
    [TestCase("+852 9123 4567", "+85291234567")]
    public void MobileNumbersBecomeE164WithChinaAsTheDefault(string input, string expected) =>
        Assert.That(Recipients.Phone(input), Is.EqualTo(((string?)expected, (string?)null)));

    [TestCase("", "must be a phone number")]
    [TestCase("12345", "not a valid phone number")]
    [TestCase("abc", "not a phone number")]
    [TestCase("01088888888", "not a mobile number")]
    [TestCase("1380000000112345678901234567890123", "too long")]
    public void BadNumbersAreRefusedWithTheReason(string input, string reason)
    {
        var (normalized, error) = Recipients.Phone(input);
        Assert.That(normalized, Is.Null);
        Assert.That(error, Does.Contain(reason));
    }

    [TestCase("client@example.com", "client@example.com")]
    [TestCase("张三 <zhangsan@example.cn>", "\"张三\" <zhangsan@example.cn>")]
    public void MailboxesAreKept(string input, string expected) =>
        Assert.That(Recipients.Email(input).Normalized, Is.EqualTo(expected));

    [TestCase("")]
    [TestCase("no-at-sign")]
    [TestCase("a@localhost")]
    [TestCase("a@b.cn, c@d.cn")]
    [TestCase("a@b.cn\r\nBcc: x@y.cn")]
    public void BadAddressesAreRefused(string input) =>
        Assert.That(Recipients.Email(input).Error, Is.Not.Null);

    [Test]
    public void ARequestIsCheckedByChannel()
    {
        Assert.That(new MessageRequest("sms", "13800000001", null, "hi").Validate("m").Message!.Recipient, Is.EqualTo("+8613800000001"));
        Assert.That(new MessageRequest("sms", "13800000001", null, " ").Validate("m").Error, Does.Contain("text"));
        Assert.That(new MessageRequest("email", "a@b.cn", null, "hi").Validate("m").Error, Does.Contain("subject"));
        Assert.That(new MessageRequest("email", "a@b.cn", "line\r\nBcc: x@y.cn", "hi").Validate("m").Error, Does.Contain("subject"));
        Assert.That(new MessageRequest("fax", "1", null, "hi").Validate("m").Error, Does.Contain("channel"));
        Assert.That(new MessageRequest(null, null, null, null).Validate("m").Error, Does.Contain("channel"));
    }
}
