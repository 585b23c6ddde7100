using CallCenter.FaxSms.Outbox;

namespace CallCenter.FaxSms.Tests;

/// <summary>A message accepted for a channel nothing can send says why it waits, instead of staying queued without a word.</summary>
public sealed class UnsendableTests
{
    private sealed class Sender(string channel) : IMessageSender
    {
        public string Channel => channel;

        public Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    [Test]
    public void AChannelWithoutASenderSaysWhichSettingIsMissing()
    {
        IMessageSender[] mailOnly = [new Sender(MessageChannel.Email)];

        Assert.That(MessagesEndpoints.Unsendable(MessageChannel.Sms, mailOnly), Does.Contain("Sms:Provider"));
        Assert.That(MessagesEndpoints.Unsendable(MessageChannel.Email, []), Does.Contain("Mail:Smtp:Host"));
        Assert.That(MessagesEndpoints.Unsendable(MessageChannel.Email, mailOnly), Is.Null);
    }
}
