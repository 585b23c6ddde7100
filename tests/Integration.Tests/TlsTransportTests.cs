using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Parsing;

namespace CallCenter.Integration.Tests;

/// <summary>SIP over TLS (RFC 3261 26.2.1) on Sip:TlsPort with the certificate from configuration: signalling a sniffer cannot read.</summary>
[NonParallelizable]
public sealed class TlsTransportTests
{
    private string _folder = "";
    private string _certificate = "";

    [OneTimeSetUp]
    public void MakeCertificate()
    {
        _folder = Directory.CreateTempSubdirectory("callcenter-tls-").FullName;
        (_certificate, _) = TestCertificate.Create(_folder);
    }

    [OneTimeTearDown]
    public void DeleteCertificate() => Directory.Delete(_folder, recursive: true);

    private static string Request(string method, string uri, int localPort, string callId, int cseq, string toTag = "", string body = "") =>
        $"{method} {uri} SIP/2.0\r\n" +
        $"Via: SIP/2.0/TLS 127.0.0.1:{localPort};branch=z9hG4bK{Guid.NewGuid():N}\r\n" +
        "Max-Forwards: 70\r\n" +
        "From: <sips:13900000000@127.0.0.1>;tag=tls\r\n" +
        $"To: <{uri}>{toTag}\r\n" +
        $"Call-ID: {callId}\r\n" +
        $"CSeq: {cseq} {method}\r\n" +
        $"Contact: <sips:13900000000@127.0.0.1:{localPort}>\r\n" +
        (body.Length > 0 ? "Content-Type: application/sdp\r\n" : "") +
        $"Content-Length: {Encoding.ASCII.GetByteCount(body)}\r\n\r\n" + body;

    private static async Task<SipResponse> ReadFinalAsync(SslStream stream)
    {
        var buffer = new byte[16 * 1024];
        var filled = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (true)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled), timeout.Token);
            Assert.That(read, Is.GreaterThan(0), "the platform closed the TLS connection");
            filled += read;
            while (true)
            {
                var result = SipParser.ParseStream(new System.Buffers.ReadOnlySequence<byte>(buffer, 0, filled));
                if (result.Status == SipParseStatus.NeedMoreData)
                {
                    break;
                }

                var consumed = (int)result.Consumed;
                Buffer.BlockCopy(buffer, consumed, buffer, 0, filled - consumed);
                filled -= consumed;
                if (result.Message is SipResponse { StatusCode: >= 200 } response)
                {
                    return response;
                }
            }
        }
    }

    [Test]
    public async Task ACallOverTlsIsAnsweredWithASipsContactAndTheWireIsNotPlainSip()
    {
        var tlsPort = CallCenter.TestSupport.FreePorts.UdpAndTcp();
        await using var platform = await PlatformProcess.StartAsync(
            $"--Sip:TlsPort={tlsPort}", $"--Sip:Tls:CertificatePath={_certificate}", "--Sip:Tls:CertificatePassword=secret");

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, tlsPort);
        var localPort = ((IPEndPoint)tcp.Client.LocalEndPoint!).Port;

        // The test trusts the self-signed certificate it made, and nothing else.
        using var expected = X509CertificateLoader.LoadPkcs12FromFile(_certificate, "secret");
        await using var tls = new SslStream(tcp.GetStream(), false, (_, certificate, _, _) => certificate is not null && certificate.GetCertHashString() == expected.GetCertHashString());
        await tls.AuthenticateAsClientAsync("127.0.0.1");
        Assert.That(tls.SslProtocol, Is.AnyOf(System.Security.Authentication.SslProtocols.Tls12, System.Security.Authentication.SslProtocols.Tls13));

        var uri = $"sips:95500@127.0.0.1:{tlsPort}";
        await tls.WriteAsync(Encoding.ASCII.GetBytes(Request("OPTIONS", uri, localPort, "tls-options", 1)));
        Assert.That((await ReadFinalAsync(tls)).StatusCode, Is.EqualTo(200));

        var callId = Guid.NewGuid().ToString("N");
        var sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40020 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        await tls.WriteAsync(Encoding.ASCII.GetBytes(Request("INVITE", uri, localPort, callId, 1, body: sdp)));
        var ok = await ReadFinalAsync(tls);
        Assert.That(ok.StatusCode, Is.EqualTo(200));
        Assert.That(ok.Contacts.Single().Uri.Scheme, Is.EqualTo("sips"), "reached over TLS, the platform is a sips: URI");
        Assert.That(ok.Contacts.Single().Uri.Port, Is.EqualTo(tlsPort));

        var toTag = ";tag=" + ok.To!.Tag;
        await tls.WriteAsync(Encoding.ASCII.GetBytes(Request("ACK", uri, localPort, callId, 1, toTag)));
        await tls.WriteAsync(Encoding.ASCII.GetBytes(Request("BYE", uri, localPort, callId, 2, toTag)));
        Assert.That((await ReadFinalAsync(tls)).StatusCode, Is.EqualTo(200));
    }

    [Test]
    public async Task PlainTextOnTheTlsPortIsAFailedHandshakeAndCounted()
    {
        var tlsPort = CallCenter.TestSupport.FreePorts.UdpAndTcp();
        await using var platform = await PlatformProcess.StartAsync(
            $"--Sip:TlsPort={tlsPort}", $"--Sip:Tls:CertificatePath={_certificate}", "--Sip:Tls:CertificatePassword=secret");

        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(IPAddress.Loopback, tlsPort);
            var stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(Request("OPTIONS", "sip:95500@127.0.0.1", 5060, "plain", 1)));
            var buffer = new byte[1024];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var read = await stream.ReadAsync(buffer, timeout.Token);
            Assert.That(Encoding.ASCII.GetString(buffer, 0, read), Does.Not.StartWith("SIP/2.0"), "no SIP answer in clear on the TLS port");
        }

        await Task.Delay(500);
        using var health = JsonDocument.Parse(await platform.GetStringAsync("health"));
        Assert.That(health.RootElement.GetProperty("sip").GetProperty("tlsHandshakeFailures").GetInt64(), Is.EqualTo(1));
    }
}
