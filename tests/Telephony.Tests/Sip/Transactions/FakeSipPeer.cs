using System.Net;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Transactions;
using CallCenter.Telephony.Transport;

namespace CallCenter.Telephony.Tests.Sip.Transactions;

/// <summary>Records what the layer sends and what it hands to the TU.</summary>
internal sealed class FakeSipPeer : ISipSender, ISipRequestHandler
{
    public List<(SipMessage Message, SipRemote To)> Sent { get; } = [];

    public List<(SipServerTransaction Tx, SipRequest Request)> Requests { get; } = [];

    public List<SipRequest> Acks { get; } = [];

    public List<(SipRequest Cancel, SipServerTransaction Invite)> Cancels { get; } = [];

    public List<SipResponse> StrayResponses { get; } = [];

    public List<SipTransactionFailure> Failures { get; } = [];

    public bool FailSends { get; set; }

    /// <summary>What the TU does with a new request; nothing by default.</summary>
    public Func<SipServerTransaction, SipRequest, ValueTask>? OnRequest { get; set; }

    public IEnumerable<SipResponse> SentResponses => Sent.Select(s => s.Message).OfType<SipResponse>();

    public IEnumerable<SipRequest> SentRequests => Sent.Select(s => s.Message).OfType<SipRequest>();

    public SipRemote LocalFor(SipTransportProtocol protocol) => new(protocol, new IPEndPoint(IPAddress.Parse("198.51.100.1"), 5070));

    public ValueTask<bool> SendRequestAsync(SipRequest request, SipRemote destination, CancellationToken cancellationToken = default)
    {
        Sent.Add((request, destination));
        return ValueTask.FromResult(!FailSends);
    }

    public ValueTask<bool> SendResponseAsync(SipResponse response, SipRemote requestSource, CancellationToken cancellationToken = default)
    {
        Sent.Add((response, requestSource));
        return ValueTask.FromResult(!FailSends);
    }

    public ValueTask OnRequestAsync(SipServerTransaction transaction, SipRequest request, SipRemote source)
    {
        Requests.Add((transaction, request));
        return OnRequest?.Invoke(transaction, request) ?? ValueTask.CompletedTask;
    }

    public ValueTask OnAckAsync(SipRequest ack, SipRemote source)
    {
        Acks.Add(ack);
        return ValueTask.CompletedTask;
    }

    public ValueTask OnCancelAsync(SipRequest cancel, SipServerTransaction inviteTransaction)
    {
        Cancels.Add((cancel, inviteTransaction));
        return ValueTask.CompletedTask;
    }

    public ValueTask OnResponseAsync(SipResponse response, SipRemote source)
    {
        StrayResponses.Add(response);
        return ValueTask.CompletedTask;
    }

    public ValueTask OnTransactionFailedAsync(SipServerTransaction transaction, SipTransactionFailure failure)
    {
        Failures.Add(failure);
        return ValueTask.CompletedTask;
    }
}
