using System.Net;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Transactions;
using CallCenter.Telephony.Transport;
using CallCenter.TestSupport;

namespace CallCenter.Telephony.Tests.Sip.Transactions;

/// <summary>
/// A server INVITE transaction's 100 Trying (sent by the layer after 200 ms) and the TU's 200 go out on different
/// threads: whatever the scheduler does between a send's decision and its datagram, the peer sees the 100 first or not at all.
/// </summary>
public sealed class ResponseOrderTests
{
    [Test]
    public async Task ATryingHeldUpOnItsWayStillLeavesBeforeTheTusFinal()
    {
        var (sender, time, layer, tx) = await InviteArrivedAsync();
        using var _ = layer;

        // The timer's thread decided the 100 and is preempted before its datagram leaves; the TU answers meanwhile.
        time.Advance(TimeSpan.FromMilliseconds(200));
        Assert.That(sender.Held, Is.EqualTo(1), "the 100 Trying is on its way");
        var ok = Task.Run(async () => await tx.SendResponseAsync(tx.CreateResponse(200)));
        await Task.Delay(300);
        Assert.That(sender.Left, Is.Empty, "the 200 waits for the 100 already on its way");

        sender.Release();
        await ok.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.That(sender.Left, Is.EqualTo(new[] { 100, 200 }));
    }

    [Test]
    public async Task ATryingDecidedAfterTheFinalIsNotSentAtAll()
    {
        var (sender, time, layer, tx) = await InviteArrivedAsync();
        using var _ = layer;
        sender.Release(); // nothing held here
        await tx.SendResponseAsync(tx.CreateResponse(180)).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        await tx.SendResponseAsync(tx.CreateResponse(200)).AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        // The INVITE comes again after the 200: the transaction resends its last response, the 200 (never a provisional).
        await layer.OnReceivedAsync(TestMessages.Invite(), TestMessages.UdpPeer).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        time.Advance(TimeSpan.FromMilliseconds(200));

        Assert.That(sender.Left.Take(2), Is.EqualTo(new[] { 180, 200 }));
        Assert.That(sender.Left.Skip(2), Has.None.LessThan(200), "no provisional after the final");
    }

    /// <summary>A layer whose sends go through <see cref="HeldProvisionals"/>, and the server transaction of an INVITE it received.</summary>
    private static async Task<(HeldProvisionals Sender, ManualTimeProvider Time, SipTransactionLayer Layer, SipServerTransaction Tx)> InviteArrivedAsync()
    {
        var sender = new HeldProvisionals();
        var peer = new FakeSipPeer();
        var time = new ManualTimeProvider();
        var layer = new SipTransactionLayer(sender, peer, time);
        await layer.OnReceivedAsync(TestMessages.Invite(), TestMessages.UdpPeer);
        return (sender, time, layer, peer.Requests.Single().Tx);
    }

    /// <summary>Lets finals out at once and holds provisionals until <see cref="Release"/>: what leaves, in order.</summary>
    private sealed class HeldProvisionals : ISipSender
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<int> _left = [];
        private int _held;

        public int Held => Volatile.Read(ref _held);

        public IReadOnlyList<int> Left
        {
            get
            {
                lock (_left)
                {
                    return [.. _left];
                }
            }
        }

        public void Release() => _release.TrySetResult();

        public SipRemote LocalFor(SipTransportProtocol protocol) => new(protocol, new IPEndPoint(IPAddress.Loopback, 5070));

        public ValueTask<bool> SendRequestAsync(SipRequest request, SipRemote destination, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(true);

        public async ValueTask<bool> SendResponseAsync(SipResponse response, SipRemote requestSource, CancellationToken cancellationToken = default)
        {
            if (response.IsProvisional)
            {
                Interlocked.Increment(ref _held);
                await _release.Task;
            }

            lock (_left)
            {
                _left.Add(response.StatusCode);
            }

            return true;
        }
    }
}
