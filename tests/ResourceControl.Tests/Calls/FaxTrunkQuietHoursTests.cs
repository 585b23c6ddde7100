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

    private static FaxTrunk Trunk(TimeProvider time)
    {
        var rules = new OutboundRules(new NoNumbers(), new DialingOptions(), new OutboundOptions(), time, NullLogger<OutboundRules>.Instance);
        return new FaxTrunk(new Trunks([_trunk]), new DialingOptions(), rules);
    }

    private sealed class NoNumbers : IDoNotCallStore
    {
        public Task<bool> AddAsync(DoNotCallRow row, CancellationToken cancellationToken = default) => Task.FromResult(false);

        public Task<bool> RemoveAsync(string number, CancellationToken cancellationToken = default) => Task.FromResult(false);

        public Task<IReadOnlyList<DoNotCallRow>> ListAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<DoNotCallRow>>([]);
    }
}
