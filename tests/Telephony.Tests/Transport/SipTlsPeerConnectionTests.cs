using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CallCenter.Telephony.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallCenter.Telephony.Tests.Transport;

/// <summary>
/// SIP over TLS to a trunk with real sockets on loopback: what is sent to the trunk goes only on a connection
/// the platform opened and checked, never on one a host opened to us from the trunk's address and port.
/// </summary>
public sealed class SipTlsPeerConnectionTests
{
    [Test]
    public async Task AHostConnectingFromTheTrunksAddressAndPortNeverReceivesWhatIsSentToTheTrunk()
    {
        var pfx = Path.Combine(Path.GetTempPath(), "sip-tls-peer-" + Guid.NewGuid().ToString("N") + ".pfx");
        using (var key = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=platform", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var own = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            await File.WriteAllBytesAsync(pfx, own.Export(X509ContentType.Pkcs12));
        }

        var transport = new SipTransport(
            new SipOptions { Address = "127.0.0.1", Port = 0, TlsPort = 0, Tls = new SipTlsOptions { CertificatePath = pfx } },
            NullLogger<SipTransport>.Instance);
        try
        {
            await transport.StartAsync(new SipWebSocketTransportTests.Inbound());

            // The on-path host: its connection to us comes from the address and port the trunk is configured at
            // (nothing listens there, so the platform's own connection to the trunk cannot be made).
            using var attacker = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            attacker.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
            var trunk = (IPEndPoint)attacker.LocalEndPoint!;
            transport.AddTlsPeer(trunk, new SipTlsPeer("trunk.example", PinnedSha256: new string('A', 64)));
            await attacker.ConnectAsync(transport.TlsEndPoint!);
            await using var tls = new SslStream(new NetworkStream(attacker, ownsSocket: false), leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "platform", RemoteCertificateValidationCallback = (_, _, _, _) => true });
            for (var i = 0; i < 100 && transport.OpenTcpConnections == 0; i++)
            {
                await Task.Delay(50);
            }

            Assert.That(transport.OpenTcpConnections, Is.EqualTo(1), "the accepted connection is open");

            var sent = await transport.SendAsync(Encoding.ASCII.GetBytes("INVITE sip:13900000011@trunk.example SIP/2.0\r\n\r\n"), new SipRemote(SipTransportProtocol.Tls, trunk));
            var buffer = new byte[4096];
            using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            var received = 0;
            try
            {
                received = await tls.ReadAsync(buffer, quiet.Token);
            }
            catch (OperationCanceledException)
            {
                // Nothing came: as it should be.
            }

            Assert.Multiple(() =>
            {
                Assert.That(received, Is.Zero, "the INVITE went to the host that connected to us");
                Assert.That(sent, Is.False, "the trunk itself could not be reached");
                Assert.That(transport.TlsFailure(trunk), Does.StartWith("TLS to " + trunk));
            });
        }
        finally
        {
            await transport.DisposeAsync();
            File.Delete(pfx);
        }
    }
}
