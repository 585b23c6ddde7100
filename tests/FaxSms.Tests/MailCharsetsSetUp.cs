using CallCenter.FaxSms.Email.Inbound;

namespace CallCenter.FaxSms.Tests;

/// <summary>What the host does at start-up (FaxSmsSetup.AddFaxSms), before any test touches MimeKit.</summary>
[SetUpFixture]
public sealed class MailCharsetsSetUp
{
    [OneTimeSetUp]
    public void RegisterCodePages() => MailCharsets.Register();
}
