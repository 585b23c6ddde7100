using System.Diagnostics.CodeAnalysis;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace CallCenter.Telephony.WebRtc;

/// <summary>The outcome of one DTLS-SRTP handshake: the SRTP masters, or why there are none.</summary>
public sealed record DtlsSrtpResult(DtlsSrtpKeys? Keys, string? Failure)
{
    [MemberNotNullWhen(true, nameof(Keys))]
    public bool Succeeded => Keys is not null;
}

/// <summary>
/// Runs the server side of DTLS-SRTP for one browser leg on <paramref name="channel"/>. BouncyCastle's
/// handshake blocks, so it runs on a pool thread; it ends within <paramref name="timeout"/> however
/// the browser behaves (silent, slow, wrong certificate), and a failure is a result, never an exception.
/// </summary>
public static class DtlsSrtpHandshake
{
    public static Task<DtlsSrtpResult> AcceptAsync(DtlsIdentity identity, string expectedFingerprint, DtlsDatagramChannel channel, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(channel);
        return Task.Factory.StartNew(
            () =>
            {
                var server = new DtlsSrtpServer(new BcTlsCrypto(new SecureRandom()), identity, expectedFingerprint, timeout);
                try
                {
                    new DtlsServerProtocol().Accept(server, channel);
                    return server.Keys is { } keys ? new DtlsSrtpResult(keys, null) : new DtlsSrtpResult(null, "no keys exported");
                }
                catch (TlsTimeoutException)
                {
                    return new DtlsSrtpResult(null, $"the handshake did not finish within {timeout.TotalSeconds:0} s");
                }
                catch (TlsFatalAlert alert)
                {
                    return new DtlsSrtpResult(null, "handshake failed: " + AlertDescription.GetText(alert.AlertDescription) + (alert.InnerException is { } inner ? " (" + inner.GetType().Name + ": " + inner.Message + ")" : ""));
                }
                catch (Exception e) when (e is IOException or TlsException or ObjectDisposedException or InvalidOperationException)
                {
                    return new DtlsSrtpResult(null, "handshake failed: " + e.Message);
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }
}
