using System.Collections.Concurrent;
using System.Net.Sockets;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Effect = CallCenter.Telephony.Sip.Transactions.SipTransactionEffect;
using Event = CallCenter.Telephony.Sip.Transactions.SipTransactionEvent;

namespace CallCenter.Telephony.Sip.Transactions;

/// <summary>
/// The transaction layer of RFC 3261 17: keeps the transactions, matches incoming messages to
/// them (17.1.3, 17.2.3), runs their timers on a <see cref="TimeProvider"/> and carries out the
/// machines' effects through <see cref="ISipSender"/>. Events of one transaction are serialized by
/// its lock; there is no thread per transaction. The transport calls <see cref="OnReceivedAsync"/>
/// for every parsed message; the TU is an <see cref="ISipRequestHandler"/>.
/// </summary>
public sealed partial class SipTransactionLayer : ISipInbound, IDisposable
{
    /// <summary>How long a final waits for a provisional already being sent before it goes anyway.</summary>
    private static readonly TimeSpan _provisionalWait = TimeSpan.FromSeconds(2);

    private readonly ISipSender _sender;
    private readonly ISipRequestHandler _handler;
    private readonly TimeProvider _time;
    private readonly SipTimerSettings _settings;
    private readonly ILogger _logger;
    private readonly SipTimerLanes _timers;
    private readonly ConcurrentDictionary<string, SipServerTransaction> _servers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SipClientTransaction> _clients = new(StringComparer.Ordinal);

    // Server transactions by Call-ID, From tag, CSeq: merged requests (8.2.2.2) and the ACK of a 2xx.
    private readonly ConcurrentDictionary<string, SipServerTransaction> _byRequestId = new(StringComparer.Ordinal);

    public SipTransactionLayer(ISipSender sender, ISipRequestHandler handler, TimeProvider time, SipTimerSettings? settings = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(time);
        _sender = sender;
        _handler = handler;
        _time = time;
        _settings = settings ?? SipTimerSettings.Default;
        _logger = logger ?? NullLogger.Instance;
        _timers = new SipTimerLanes(time);
    }

    /// <summary>Live server transactions (for tests and metrics).</summary>
    public int ServerTransactionCount => _servers.Count;

    /// <summary>Live client transactions (for tests and metrics).</summary>
    public int ClientTransactionCount => _clients.Count;

    /// <summary>Called by the transport for every parsed message.</summary>
    ValueTask ISipInbound.OnMessageAsync(SipMessage message, SipRemote source) => OnReceivedAsync(message, source);

    public ValueTask OnReceivedAsync(SipMessage message, SipRemote source)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message switch
        {
            SipRequest request => OnRequestAsync(request, source),
            SipResponse response => OnResponseAsync(response, source),
            _ => ValueTask.CompletedTask,
        };
    }

    /// <summary>
    /// The TU answers a server transaction, found from the response's top Via and CSeq (the same
    /// values the request carried). Throws when no live transaction matches.
    /// </summary>
    public ValueTask SendResponseAsync(SipResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var tx = FindServerForResponse(response)
            ?? throw new InvalidOperationException("No server transaction matches the response.");
        return SendResponseAsync(tx, response);
    }

    internal ValueTask SendResponseAsync(SipServerTransaction transaction, SipResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return DispatchAsync(transaction, new Event.TuResponse(response), transaction.Remote);
    }

    /// <summary>
    /// Starts a client transaction and completes with its final response: the real one, a
    /// synthesized 408 when Timer B/F fires, or 503 on a transport error (RFC 3261 8.1.3.1, 8.1.3.1).
    /// Adds a Via from <see cref="ISipSender.LocalFor"/> when the request has none and a
    /// magic-cookie branch when its top Via lacks one. Provisional responses go to
    /// <paramref name="onProvisional"/>. Cancelling <paramref name="cancellationToken"/> stops the
    /// wait only; to end an INVITE send a CANCEL (<see cref="SipMessageBuilder.CreateCancel"/>).
    /// ACK is not a transaction: use <see cref="SendAckAsync"/>. A request with Route headers goes to
    /// its first hop (<see cref="SipNextHop.ForRequest"/>, RFC 3261 8.1.2), not to <paramref name="destination"/>.
    /// </summary>
    public async Task<SipResponse> SendRequestAsync(SipRequest request, SipRemote destination, Action<SipResponse>? onProvisional = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Method == SipMethods.Ack)
        {
            throw new ArgumentException("ACK is sent with SendAckAsync, not as a transaction.", nameof(request));
        }

        destination = SipNextHop.ForRequest(request, destination);
        EnsureVia(request, destination);
        var key = SipTransactionKeys.Client(request) ?? throw new ArgumentException("The request needs a CSeq.", nameof(request));
        SipTransactionMachine machine = request.Method == SipMethods.Invite
            ? new SipClientInviteMachine(request, destination.IsReliable, _settings)
            : new SipClientNonInviteMachine(request, destination.IsReliable, _settings);
        var tx = new SipClientTransaction(key, destination, machine, onProvisional);
        if (!_clients.TryAdd(key, tx))
        {
            throw new InvalidOperationException("A client transaction with this branch and method is running.");
        }

        await DispatchAsync(tx, new Event.Start(), destination);
        return await tx.Final.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Sends the ACK for a 2xx (RFC 3261 13.2.2.4), which is no transaction: no retransmission;
    /// the TU resends it for each retransmitted 2xx (<see cref="ISipRequestHandler.OnResponseAsync"/>).
    /// </summary>
    public ValueTask<bool> SendAckAsync(SipRequest ack, SipRemote destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ack);
        destination = SipNextHop.ForRequest(ack, destination);
        EnsureVia(ack, destination);
        return _sender.SendRequestAsync(ack, destination, cancellationToken);
    }

    public void Dispose()
    {
        foreach (var tx in _servers.Values.Cast<SipTransaction>().Concat(_clients.Values))
        {
            lock (tx.Gate)
            {
                DisposeTimers(tx);
            }

            // A request still waiting for its answer gets the one a dead transport gives (503), not a wait without end:
            // no response reaches it any more, and its timers are gone. (One started after this goes out and times out as
            // usual: the timer lanes give it a new lane, so a call's last BYE still leaves.)
            if (tx is SipClientTransaction { Final.Task.IsCompleted: false } client)
            {
                client.Final.TrySetResult(Synthesized(client.Request, 503));
            }
        }

        _servers.Clear();
        _clients.Clear();
        _byRequestId.Clear();
        _timers.Dispose();
    }

    private async ValueTask OnRequestAsync(SipRequest request, SipRemote source)
    {
        var key = SipTransactionKeys.Server(request);
        if (key is null || request.CSeq is null || request.CallId is null)
        {
            // Without Via, CSeq or Call-ID no response can be built; the parser should not let it through.
            return;
        }

        if (request.Method == SipMethods.Ack)
        {
            await OnAckAsync(request, key, source);
            return;
        }

        if (_servers.TryGetValue(key, out var existing))
        {
            // 17.2.3: a retransmission; the transaction resends its last response.
            await DispatchAsync(existing, new Event.RequestReceived(request), source);
            return;
        }

        if (request.Method == SipMethods.Cancel)
        {
            await OnCancelAsync(request, key, source);
            return;
        }

        var requestId = SipTransactionKeys.RequestId(request, request.Method);
        var merged = request.To?.Tag is null && requestId is not null
            && _byRequestId.TryGetValue(requestId, out var first) && first.Key != key;
        var tx = CreateServer(key, request, requestId, source, index: !merged);
        if (tx is null)
        {
            return;
        }

        if (merged)
        {
            // RFC 3261 8.2.2.2: the same request reached us on another path.
            await DispatchAsync(tx, new Event.TuResponse(tx.CreateResponse(482)), source);
            return;
        }

        await CallTuAsync(tx, () => _handler.OnRequestAsync(tx, request, source));
    }

    private async ValueTask OnAckAsync(SipRequest ack, string key, SipRemote source)
    {
        if (_servers.TryGetValue(key, out var tx) && ToTagMatches(tx, ack))
        {
            // The ACK for our non-2xx (absorbed), or a 2xx ACK reusing the INVITE's branch.
            await DispatchAsync(tx, new Event.RequestReceived(ack), source);
            return;
        }

        // RFC 3261 17.2.3: the ACK for a 2xx has its own branch; find the INVITE it completes.
        if (SipTransactionKeys.RequestId(ack, SipMethods.Invite) is { } id
            && _byRequestId.TryGetValue(id, out var invite)
            && invite.Machine is SipServerInviteMachine
            && invite.State == SipTransactionState.Accepted
            && ToTagMatches(invite, ack))
        {
            await DispatchAsync(invite, new Event.RequestReceived(ack), source);
            return;
        }

        await CallTuAsync(null, () => _handler.OnAckAsync(ack, source));
    }

    private async ValueTask OnCancelAsync(SipRequest cancel, string key, SipRemote source)
    {
        var inviteKey = SipTransactionKeys.Server(cancel, SipMethods.Invite);
        _servers.TryGetValue(inviteKey ?? "", out var invite);
        var tx = CreateServer(key, cancel, SipTransactionKeys.RequestId(cancel, cancel.Method), source, index: false);
        if (tx is null)
        {
            return;
        }

        if (invite is null)
        {
            // RFC 3261 9.2: no matching transaction.
            await DispatchAsync(tx, new Event.TuResponse(tx.CreateResponse(481)), source);
            return;
        }

        // 9.2: the CANCEL's 200 carries the INVITE response's To tag.
        tx.LocalTag = invite.LocalTag;
        var wasPending = invite.State == SipTransactionState.Proceeding;
        await DispatchAsync(tx, new Event.TuResponse(tx.CreateResponse(200)), source);
        if (wasPending)
        {
            await CallTuAsync(null, () => _handler.OnCancelAsync(cancel, invite));
        }
    }

    private async ValueTask OnResponseAsync(SipResponse response, SipRemote source)
    {
        if (SipTransactionKeys.Client(response) is { } key && _clients.TryGetValue(key, out var tx))
        {
            await DispatchAsync(tx, new Event.ResponseReceived(response), source);
            return;
        }

        // RFC 3261 17.1.3: no match. A 2xx to INVITE still matters to the TU (13.2.2.4).
        if (response.IsSuccess && response.CSeq?.Method == SipMethods.Invite)
        {
            await CallTuAsync(null, () => _handler.OnResponseAsync(response, source));
        }
    }

    /// <param name="requestId"><paramref name="request"/>'s <see cref="SipTransactionKeys.RequestId"/>, which the caller has made.</param>
    private SipServerTransaction? CreateServer(string key, SipRequest request, string? requestId, SipRemote source, bool index)
    {
        SipServerMachine machine = request.Method == SipMethods.Invite
            ? new SipServerInviteMachine(request, source.IsReliable, _settings)
            : new SipServerNonInviteMachine(request, source.IsReliable, _settings);
        var tx = new SipServerTransaction(this, key, source, machine) { RequestId = requestId };
        if (request.To?.Tag is { } toTag)
        {
            tx.LocalTag = toTag;
        }

        if (!_servers.TryAdd(key, tx))
        {
            return null;
        }

        if (index && requestId is not null)
        {
            _byRequestId.TryAdd(requestId, tx);
        }

        lock (tx.Gate)
        {
            // Start has no send effects on a server transaction; only timers.
            ApplyTimers(tx, tx.Machine.Handle(new Event.Start(), _time.GetUtcNow()).Effects);
        }

        return tx;
    }

    private SipServerTransaction? FindServerForResponse(SipResponse response)
    {
        var via = response.TopVia;
        if (via is null || response.CSeq is null)
        {
            return null;
        }

        if (via.IsRfc3261Branch)
        {
            var probe = new SipRequest { Method = response.CSeq.Value.Method, RequestUri = new SipUri { Scheme = "sip" }, CallId = response.CallId };
            probe.Vias.Add(via);
            return SipTransactionKeys.Server(probe) is { } key && _servers.TryGetValue(key, out var tx) ? tx : null;
        }

        // RFC 2543 peer: the response lacks the Request-URI of the key, so compare the request's fields.
        return _servers.Values.FirstOrDefault(t => t.Request is var request
            && request.Method == response.CSeq.Value.Method
            && request.CSeq == response.CSeq
            && request.CallId == response.CallId
            && request.From?.Tag == response.From?.Tag
            && request.TopVia?.Branch == via.Branch);
    }

    private static bool ToTagMatches(SipServerTransaction tx, SipRequest ack) =>
        tx.LastToTag is not { } tag || ack.To?.Tag is not { } ackTag
        || string.Equals(tag, ackTag, StringComparison.Ordinal);

    private void EnsureVia(SipRequest request, SipRemote destination)
    {
        if (request.Vias.Count == 0)
        {
            var local = _sender.LocalFor(destination.Protocol).EndPoint;
            var host = local.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + local.Address + "]" : local.Address.ToString();
            var via = new SipVia { Transport = destination.ViaTransport, Host = host, Port = local.Port };
            via.Parameters.Add(new("rport", null)); // RFC 3581 3
            request.Vias.Add(via);
        }

        if (string.IsNullOrEmpty(request.Vias[0].Branch))
        {
            request.Vias[0].Branch = SipMessageBuilder.NewBranch();
        }
    }

    private async ValueTask DispatchAsync(SipTransaction tx, Event transactionEvent, SipRemote source)
    {
        IReadOnlyList<Effect> effects;
        lock (tx.Gate)
        {
            effects = tx.Machine.Handle(transactionEvent, _time.GetUtcNow()).Effects;
            ApplyTimers(tx, effects);
        }

        foreach (var effect in effects)
        {
            await CarryOutAsync(tx, effect, source);
        }
    }

    /// <summary>
    /// Sends a server transaction's response after its lock, in the order the peer must see: a provisional (our 100 Trying
    /// after 200 ms, one resent for a retransmitted request) is dropped once a final was decided, and a final waits for the
    /// provisionals already on their way (a thread preempted between its check and its send would otherwise put the 100
    /// after the 200: sipp aborts on that, RFC 3261 17.2.1). True when sent (or rightly dropped).
    /// </summary>
    private async ValueTask<bool> SendResponseInOrderAsync(SipServerTransaction? server, SipResponse response, SipRemote to)
    {
        if (server is null)
        {
            return await _sender.SendResponseAsync(response, to);
        }

        if (response.IsProvisional)
        {
            lock (server.Gate)
            {
                if (FinalDecided(server))
                {
                    return true;
                }

                server.ProvisionalsSending++;
            }

            try
            {
                return await _sender.SendResponseAsync(response, to);
            }
            finally
            {
                lock (server.Gate)
                {
                    if (--server.ProvisionalsSending == 0 && server.ProvisionalsSent is { } sent)
                    {
                        server.ProvisionalsSent = null;
                        sent.TrySetResult();
                    }
                }
            }
        }

        Task? provisionals = null;
        lock (server.Gate)
        {
            if (server.ProvisionalsSending > 0)
            {
                server.ProvisionalsSent ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                provisionals = server.ProvisionalsSent.Task;
            }
        }

        if (provisionals is not null)
        {
            // Bounded: a send that hangs (a stalled TCP peer) must not hold the final for good.
            await provisionals.WaitAsync(_provisionalWait).ContinueWith(static _ => { }, TaskScheduler.Default);
        }

        return await _sender.SendResponseAsync(response, to);
    }

    /// <summary>Under the transaction's lock: a final response was decided (the state left Proceeding).</summary>
    private static bool FinalDecided(SipServerTransaction tx) =>
        tx.Machine.State is SipTransactionState.Completed or SipTransactionState.Confirmed
            or SipTransactionState.Accepted or SipTransactionState.Terminated;

    private async ValueTask CarryOutAsync(SipTransaction tx, Effect effect, SipRemote source)
    {
        var server = tx as SipServerTransaction;
        var client = tx as SipClientTransaction;
        switch (effect)
        {
            case Effect.SendRequest send:
                if (!await _sender.SendRequestAsync(send.Request, tx.Remote))
                {
                    await DispatchAsync(tx, new Event.TransportError(), source);
                }

                break;

            case Effect.SendResponse send:
                if (!await SendResponseInOrderAsync(server, send.Response, tx.Remote))
                {
                    await DispatchAsync(tx, new Event.TransportError(), source);
                }

                break;

            case Effect.PassToTu pass when client is not null:
                if (pass.Response.IsProvisional)
                {
                    client.OnProvisional?.Invoke(pass.Response);
                }
                else if (!client.Final.TrySetResult(pass.Response) && pass.Response.IsSuccess)
                {
                    // RFC 6026 7.2: later 2xx in Accepted go to the TU, which ACKs them.
                    await CallTuAsync(null, () => _handler.OnResponseAsync(pass.Response, source));
                }

                break;

            case Effect.PassAckToTu ack:
                await CallTuAsync(null, () => _handler.OnAckAsync(ack.Ack, source));
                break;

            case Effect.Timeout:
                if (client is not null)
                {
                    client.Final.TrySetResult(Synthesized(client.Request, 408));
                }
                else if (server is not null)
                {
                    await CallTuAsync(null, () => _handler.OnTransactionFailedAsync(server, SipTransactionFailure.NoAck));
                }

                break;

            case Effect.TransportFailure:
                if (client is not null)
                {
                    client.Final.TrySetResult(Synthesized(client.Request, 503));
                }
                else if (server is not null)
                {
                    await CallTuAsync(null, () => _handler.OnTransactionFailedAsync(server, SipTransactionFailure.TransportError));
                }

                break;

            case Effect.Terminated:
                Remove(tx);
                break;
        }
    }

    internal void Discard(SipServerTransaction transaction) => Remove(transaction);

    private void Remove(SipTransaction tx)
    {
        lock (tx.Gate)
        {
            DisposeTimers(tx);
        }

        if (tx is SipClientTransaction client)
        {
            _clients.TryRemove(new KeyValuePair<string, SipClientTransaction>(tx.Key, client));
            client.Final.TrySetResult(Synthesized(client.Request, 408));
        }
        else if (tx is SipServerTransaction server)
        {
            _servers.TryRemove(new KeyValuePair<string, SipServerTransaction>(tx.Key, server));
            if (server.RequestId is { } id)
            {
                _byRequestId.TryRemove(new KeyValuePair<string, SipServerTransaction>(id, server));
            }
        }
    }

    private async ValueTask CallTuAsync(SipServerTransaction? answerOnFailure, Func<ValueTask> call)
    {
        try
        {
            await call();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            TelephonyLog.TransactionUserFailed(_logger, ex, answerOnFailure?.Request.Method ?? "?", answerOnFailure?.Request.CallId);
            if (answerOnFailure is not null && answerOnFailure.LastResponse is null or { IsProvisional: true })
            {
                await DispatchAsync(answerOnFailure, new Event.TuResponse(answerOnFailure.CreateResponse(500)), answerOnFailure.Remote);
            }
        }
    }

    /// <summary>A final response the stack makes for a client transaction that got none (a timeout, a transport error).</summary>
    private static SipResponse Synthesized(SipRequest request, int status)
    {
        var response = SipMessageBuilder.CreateResponse(request, status);
        response.Synthesized = true;
        return response;
    }
}
