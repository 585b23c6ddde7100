using CallCenter.Telephony.Rtp;

namespace CallCenter.Telephony.Tests.Rtp;

public sealed class RtpPortAllocatorTests
{
    [Test]
    public void PortsAreEvenWithinTheRangeAndNotReusedAtOnce()
    {
        var ports = new RtpPortAllocator(new RtpOptions { PortMin = 20001, PortMax = 20010 });

        var first = ports.Allocate(_ => true);
        var second = ports.Allocate(_ => true);
        ports.Release(first!.Value);
        var third = ports.Allocate(_ => true);

        Assert.That(ports.Capacity, Is.EqualTo(4));
        Assert.That(new[] { first, second, third }, Is.EqualTo(new int?[] { 20002, 20004, 20006 }));
    }

    [Test]
    public void ExhaustedRangeReturnsNullAndPortsHeldByOthersAreSkipped()
    {
        var ports = new RtpPortAllocator(new RtpOptions { PortMin = 20000, PortMax = 20005 });

        var got = new[] { ports.Allocate(p => p != 20000), ports.Allocate(_ => true), ports.Allocate(_ => true), ports.Allocate(_ => true) };

        Assert.That(got, Is.EqualTo(new int?[] { 20002, 20004, 20000, null }));
        Assert.That(ports.InUse, Is.EqualTo(3));
    }
}
