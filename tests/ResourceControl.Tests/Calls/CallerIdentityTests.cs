using System.Net;
using CallCenter.Data.Catalog;
using CallCenter.ResourceControl.Calls;
using CallCenter.Telephony;
using CallCenter.Telephony.Codecs;
using CallCenter.Telephony.Rtp;
using CallCenter.Telephony.Transport;
using CallCenter.TestSupport;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>
/// What a call takes from the directory's answer (<see cref="ActiveCall.Apply"/>): the account manager its wait is held
/// for, except a manager the client denied on a new-account confirmation call (the relationship is flagged for removal:
/// the client's calls no longer go to that manager, and the pop says why).
/// </summary>
public sealed class CallerIdentityTests
{
    private static readonly ClientRecord _client = new("13800000003", "张伟", "6225****0003", "Gold", "1004", "zh", "深圳");

    private static ActiveCall NewCall(ManualTimeProvider time)
    {
        var first = FreePorts.InProcessBlock(2);
        var ports = new RtpPortAllocator(new RtpOptions { PortMin = first, PortMax = first + 1 });
        var media = RtpSession.Open(ports, IPAddress.Loopback, new IPEndPoint(IPAddress.Loopback, 9), new RtpMediaFormat(8, G711Law.ALaw, null), new RtpCounters(), time)!;
        return new ActiveCall("c-id", null, "sip-c-id", _client.Phone, "95500", media, new SipRemote(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5060)), time.GetUtcNow())
        {
            Kind = new HotlineCallKind(new Dictionary<string, HotlineRecord>(), _ => true),
        };
    }

    [Test]
    public async Task AClientsOwnManagerIsTheOneTheirWaitIsHeldFor()
    {
        var time = new ManualTimeProvider();
        var call = NewCall(time);
        try
        {
            call.Apply(new CallerIdentity(_client, "周强", []));

            Assert.That((call.AccountManager, call.WaitingOrNew(time.GetUtcNow()).AccountManager, call.ManagerDeniedAt), Is.EqualTo(("1004", "1004", (DateTimeOffset?)null)));
        }
        finally
        {
            await call.Media.DisposeAsync();
        }
    }

    [Test]
    public async Task AManagerTheClientDeniedIsNotHeldForButThePopStillNamesThemWithTheDenial()
    {
        var time = new ManualTimeProvider();
        var call = NewCall(time);
        var denied = time.GetUtcNow().AddDays(-3);
        try
        {
            call.Apply(new CallerIdentity(_client, "周强", [], denied));
            var pop = ScreenPop.Build(call, "1001", time.GetUtcNow());

            Assert.Multiple(() =>
            {
                Assert.That(call.AccountManager, Is.Null);
                Assert.That(call.WaitingOrNew(time.GetUtcNow()).AccountManager, Is.Null, "no wait held for the denied manager");
                Assert.That((pop.AccountManager, pop.AccountManagerName, pop.AccountManagerDeniedAt), Is.EqualTo(("1004", "周强", (DateTimeOffset?)denied)));
            });
        }
        finally
        {
            await call.Media.DisposeAsync();
        }
    }
}
