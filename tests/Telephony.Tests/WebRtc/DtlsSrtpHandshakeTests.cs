using System.Diagnostics;
using CallCenter.Telephony.WebRtc;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace CallCenter.Telephony.Tests.WebRtc;

/// <summary>
/// The platform's DTLS-SRTP server against a real DTLS 1.2 client (BouncyCastle's, set up as a
/// browser is: use_srtp, its own certificate, our fingerprint checked) over an in-memory datagram pair.
/// </summary>
public sealed class DtlsSrtpHandshakeTests
{
    private static readonly DtlsIdentity _platform = DtlsIdentity.Create(TimeProvider.System);
    private static readonly DtlsIdentity _browser = DtlsIdentity.Create(TimeProvider.System);

    [Test]
    public async Task BothEndsExportTheSameSrtpMastersAndTheServersFingerprintIsTheSdps()
    {
        var (server, client) = await HandshakeAsync(expectedByServer: _browser.Fingerprint);

        Assert.That(server.Failure, Is.Null);
        Assert.That(client.Error, Is.Null);
        Assert.That(client.ServerFingerprint, Is.EqualTo(_platform.Fingerprint), "what a=fingerprint:sha-256 in our SDP says");
        Assert.That(server.Keys!.Client.SameAs(client.Keys!.Client), Is.True);
        Assert.That(server.Keys.Server.SameAs(client.Keys.Server), Is.True);
        Assert.That(server.Keys.Client.SameAs(server.Keys.Server), Is.False, "each direction has its own key");
    }

    [Test]
    public async Task ABrowserWhoseCertificateIsNotTheOneItsSdpNamedIsRefused()
    {
        var someoneElse = DtlsIdentity.Create(TimeProvider.System);

        var (server, client) = await HandshakeAsync(expectedByServer: someoneElse.Fingerprint);

        Assert.That(server.Succeeded, Is.False);
        Assert.That(server.Failure, Does.Contain("bad_certificate"));
        Assert.That(client.Keys, Is.Null);
    }

    [Test]
    public async Task AHandshakeThatNeverFinishesEndsWithinItsTimeout()
    {
        using var channel = new DtlsDatagramChannel(_ => { });
        var clock = Stopwatch.StartNew();

        var result = await DtlsSrtpHandshake.AcceptAsync(_platform, _browser.Fingerprint, channel, TimeSpan.FromSeconds(1)).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Failure, Does.Contain("did not finish"));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
    }

    [Test]
    public void FingerprintsAreUpperCaseHexPairsAsSdpWritesThem()
    {
        Assert.That(_platform.Fingerprint, Does.Match("^([0-9A-F]{2}:){31}[0-9A-F]{2}$"));
        Assert.That(DtlsIdentity.FingerprintOf(_platform.Certificate.GetEncoded()), Is.EqualTo(_platform.Fingerprint));
        Assert.That(_platform.Fingerprint, Is.Not.EqualTo(_browser.Fingerprint));
    }

    [Test]
    public void TheKeyingMaterialSplitsAsRfc5764Says()
    {
        var material = Enumerable.Range(0, 60).Select(i => (byte)i).ToArray();

        var keys = DtlsSrtpKeys.FromMaterial(material);

        Assert.That(keys.Client.Key.ToArray(), Is.EqualTo(material[..16]));
        Assert.That(keys.Server.Key.ToArray(), Is.EqualTo(material[16..32]));
        Assert.That(keys.Client.Salt.ToArray(), Is.EqualTo(material[32..46]));
        Assert.That(keys.Server.Salt.ToArray(), Is.EqualTo(material[46..60]));
        Assert.Throws<ArgumentException>(() => DtlsSrtpKeys.FromMaterial(material.AsSpan(0, 59)));
    }

    private static async Task<(DtlsSrtpResult Server, BrowserLikeClient Client)> HandshakeAsync(string expectedByServer)
    {
        DtlsDatagramChannel? toClient = null;
        using var serverChannel = new DtlsDatagramChannel(record => toClient!.Deliver(record));
        using var clientChannel = new DtlsDatagramChannel(record => serverChannel.Deliver(record));
        toClient = clientChannel;
        var serverTask = DtlsSrtpHandshake.AcceptAsync(_platform, expectedByServer, serverChannel, TimeSpan.FromSeconds(10));
        var client = new BrowserLikeClient(new BcTlsCrypto(new SecureRandom()), _browser);
        var clientTask = Task.Run(() =>
        {
            try
            {
                new DtlsClientProtocol().Connect(client, clientChannel);
            }
            catch (Exception e) when (e is TlsException or IOException)
            {
                client.Error = e.Message;
            }
        });
        var server = await serverTask.WaitAsync(TimeSpan.FromSeconds(30));

        // The client still has the server's last flight to read; a refused one may wait for records that never come.
        if (await Task.WhenAny(clientTask, Task.Delay(TimeSpan.FromSeconds(5))) != clientTask)
        {
            serverChannel.Close();
            clientChannel.Close();
        }

        await clientTask.WaitAsync(TimeSpan.FromSeconds(30));
        return (server, client);
    }
}
