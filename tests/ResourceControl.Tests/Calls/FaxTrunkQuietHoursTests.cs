using System.Net;
using CallCenter.Data.Callbacks;
using CallCenter.ResourceControl.Calls;
using CallCenter.ResourceControl.Outbound;
using CallCenter.Telephony.Transport;
using CallCenter.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>
/// A fax to a telephone number keeps the clients' quiet hours like any call the platform places: at night
/// it is not dialled but held until the calling hours start (with the reason), by day it goes through the trunk.
/// And the platform's own SIP address, as the trunk's view of the host gives it to the fax room: where a SIP URI to
/// its own fax number may go without a <c>Fax:SipHosts</c> entry.
/// </summary>
public sealed class FaxTrunkQuietHoursTests
{
    private static readonly Trunk _trunk = new("carrier", new SipRemote(SipTransportProtocol.Udp, IPEndPoint.Parse("10.0.0.5:5060")), "cc", "secret", "95500");

    [Test]
    public void AtNightAFaxIsHeldUntilTheCallingHoursStart()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 12, 6, 15, 0, 0, TimeSpan.Zero)); // 23:00 in Shanghai
        var trunk = Trunk(time);

        var (through, number, notNow) = trunk.RouteNow("13900000021", "fax-1");

        Assert.Multiple(() =>
        {
            Assert.That(through, Is.Null, "nothing is dialled in the quiet hours");
            Assert.That(number, Is.Null);
            Assert.That(notNow!.HeldUntil, Is.EqualTo(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero)), "08:00 in Shanghai");
            Assert.That(notNow.Reason, Does.Contain("outside the calling hours"));
        });
    }

    [Test]
    public void ByDayAFaxGoesThroughTheTrunk()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 12, 6, 2, 0, 0, TimeSpan.Zero)); // 10:00 in Shanghai
        var (through, number, notNow) = Trunk(time).RouteNow("13900000021", "fax-1");

        Assert.Multiple(() =>
        {
            Assert.That(through, Is.SameAs(_trunk));
            Assert.That(number!.E164, Is.EqualTo("+8613900000021"));
            Assert.That(notNow, Is.Null);
        });
    }

    [TestCase("sip:95580@127.0.0.1:5070", null)]
    [TestCase("sip:95580@127.0.0.1", "127.0.0.1:5060 is not on Fax:SipHosts")] // another port on loopback: not the platform
    [TestCase("sip:1000@127.0.0.1:5070", "127.0.0.1:5070 is not on Fax:SipHosts")] // the platform, but not its fax number
    [TestCase("sip:95580@192.0.2.44:5070", "192.0.2.44:5070 is not on Fax:SipHosts")]
    public async Task OnlyTheOwnFaxNumberAtThePlatformsOwnSipAddressNeedsNoEntry(string to, string? refused)
    {
        // Not started: the transport gives its configured port and loopback, as the platform's own address.
        await using var transport = new SipTransport(new Telephony.SipOptions { Address = "127.0.0.1", Port = 5070 }, NullLogger<SipTransport>.Instance);

        var reason = FaxSms.Fax.FaxDestination.Check(to, "95580", FaxSms.Fax.FaxSipHosts.None, Trunk(TimeProvider.System, transport));

        if (refused is null)
        {
            Assert.That(reason, Is.Null);
        }
        else
        {
            Assert.That(reason, Does.Contain(refused));
        }
    }

    private static FaxTrunk Trunk(TimeProvider time, SipTransport? transport = null)
    {
        var rules = new OutboundRules(new NoNumbers(), new DialingOptions(), new OutboundOptions(), time, NullLogger<OutboundRules>.Instance);
        return new FaxTrunk(new Trunks([_trunk]), new DialingOptions(), rules, transport);
    }

    private sealed class NoNumbers : IDoNotCallStore
    {
        public Task<bool> AddAsync(DoNotCallRow row, CancellationToken cancellationToken = default) => Task.FromResult(false);

        public Task<bool> RemoveAsync(string number, CancellationToken cancellationToken = default) => Task.FromResult(false);

        public Task<IReadOnlyList<DoNotCallRow>> ListAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<DoNotCallRow>>([]);

        public Task<DoNotCallRow?> FindAsync(string number, CancellationToken cancellationToken = default) => Task.FromResult<DoNotCallRow?>(null);
    }
}
