using System.Net;
using CallCenter.Telephony.WebRtc;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace CallCenter.Telephony.Tests.WebRtc;

/// <summary>
/// A browser leg's media port end to end without a socket: the browser's ICE check, then its DTLS
/// handshake through the port, then media; and a LAN peer who knows the port but not the ICE password.
/// </summary>
public sealed class WebRtcTransportTests
{
    private static readonly IPEndPoint _browser = new(IPAddress.Parse("192.168.1.20"), 51000);
    private static readonly IPEndPoint _intruder = new(IPAddress.Parse("192.168.1.66"), 51000);

    [Test]
    public async Task TheBrowserChecksThenHandshakesThroughThePortAndOnlyItsMediaIsTaken()
    {
        var platform = DtlsIdentity.Create(TimeProvider.System);
        var browser = DtlsIdentity.Create(TimeProvider.System);
        var local = IceCredentials.Create();
        DtlsDatagramChannel? browserSide = null;
        var sentTo = new List<IPEndPoint>();
        using var transport = new WebRtcTransport(local, platform, (datagram, to) =>
        {
            lock (sentTo)
            {
                sentTo.Add(to);
            }

            if (to.Equals(_browser) && DtlsDatagramChannel.LooksLikeDtls(datagram))
            {
                browserSide!.Deliver(datagram);
            }
        });
        using var browserChannel = new DtlsDatagramChannel(record => transport.Receive(record, _browser));
        browserSide = browserChannel;

        // Before any valid check, nobody's DTLS is taken.
        Assert.That(transport.Receive(new byte[] { 22, 254, 253, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, _browser), Is.EqualTo(WebRtcPacketKind.Dropped));
        Assert.That(transport.Receive(IceLiteResponderTests.Check($"{local.Ufrag}:brws", "a-guess-at-the-password-xx"), _intruder), Is.EqualTo(WebRtcPacketKind.StunRefused));
        Assert.That(transport.Receive(IceLiteResponderTests.Check($"{local.Ufrag}:brws", local.Password, useCandidate: true), _browser), Is.EqualTo(WebRtcPacketKind.StunAnswered));
        Assert.That(transport.Ice.Selected, Is.EqualTo(_browser));

        transport.Start(new WebRtcAnswer("brws", "browser-password-unused-here", browser.Fingerprint, 0), TimeSpan.FromSeconds(10));
        var client = new BrowserLikeClient(new BcTlsCrypto(new SecureRandom()), browser);
        var connecting = Task.Run(() => new DtlsClientProtocol().Connect(client, browserChannel));
        var result = await transport.Handshake.WaitAsync(TimeSpan.FromSeconds(30));
        await connecting.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(result.Failure, Is.Null);
        Assert.That(result.Keys!.Server.SameAs(client.Keys!.Server), Is.True);
        Assert.That(client.ServerFingerprint, Is.EqualTo(platform.Fingerprint));
        lock (sentTo)
        {
            Assert.That(sentTo.Distinct(), Is.EqualTo(new[] { _browser }), "nothing is ever sent to the intruder");
        }

        var rtp = new byte[172];
        rtp[0] = 0x80;
        Assert.That(transport.Receive(rtp, _browser), Is.EqualTo(WebRtcPacketKind.Media));
        Assert.That(transport.Receive(rtp, _intruder), Is.EqualTo(WebRtcPacketKind.Dropped));
        Assert.That(transport.Receive(new byte[] { 22, 254, 253, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, _intruder), Is.EqualTo(WebRtcPacketKind.Dropped));
        Assert.That(transport.Dropped, Is.EqualTo(3));
    }

    [Test]
    public async Task ABrowserThatChecksButNeverHandshakesEndsTheLegAtTheTimeout()
    {
        var local = IceCredentials.Create();
        using var transport = new WebRtcTransport(local, DtlsIdentity.Create(TimeProvider.System), (_, _) => { });
        transport.Receive(IceLiteResponderTests.Check($"{local.Ufrag}:brws", local.Password), _browser);

        transport.Start(new WebRtcAnswer("brws", "x", DtlsIdentity.Create(TimeProvider.System).Fingerprint, 8), TimeSpan.FromSeconds(1));
        var result = await transport.Handshake.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Failure, Does.Contain("did not finish"));
        var rtp = new byte[172];
        rtp[0] = 0x80;
        Assert.That(transport.Receive(rtp, _browser), Is.EqualTo(WebRtcPacketKind.Dropped), "no keys, no media");
    }
}
