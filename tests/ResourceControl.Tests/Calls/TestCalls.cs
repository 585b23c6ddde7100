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
/// Hotline calls for tests of <see cref="ActiveCall"/> itself: a real RTP session on a loopback port of its own, no
/// dialog, no loop. Each is kept so that <see cref="DisposeAllAsync"/> (a fixture's tear-down) frees its port.
/// </summary>
internal sealed class TestCalls
{
    private readonly List<ActiveCall> _made = [];
    private readonly List<int> _blocks = [];

    public ActiveCall New(ManualTimeProvider time, string caller = "13800000003")
    {
        var first = FreePorts.InProcessBlock(2);
        _blocks.Add(first);
        var ports = new RtpPortAllocator(new RtpOptions { PortMin = first, PortMax = first + 1 });
        var media = RtpSession.Open(ports, IPAddress.Loopback, new IPEndPoint(IPAddress.Loopback, 9), new RtpMediaFormat(8, G711Law.ALaw, null), new RtpCounters(), time)
            ?? throw new InvalidOperationException($"no RTP port pair free at {first}");
        var call = new ActiveCall("c-id", null, "sip-c-id", caller, "95500", media, new SipRemote(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5060)), time.GetUtcNow())
        {
            Kind = new HotlineCallKind(new Dictionary<string, HotlineRecord>(), _ => true),
        };
        _made.Add(call);
        return call;
    }

    /// <summary>Closes every call's media and gives its ports back; one that fails to close does not keep the rest open.</summary>
    public async Task DisposeAllAsync()
    {
        ActiveCall[] made = [.. _made];
        int[] blocks = [.. _blocks];
        _made.Clear();
        _blocks.Clear();
        try
        {
            foreach (var call in made)
            {
                try
                {
                    await call.Media.DisposeAsync();
                }
                catch (ObjectDisposedException)
                {
                    // A test closed it itself.
                }
            }
        }
        finally
        {
            foreach (var first in blocks)
            {
                FreePorts.ReleaseBlock(first, 2);
            }
        }
    }
}
