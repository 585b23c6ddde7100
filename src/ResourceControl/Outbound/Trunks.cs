using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Transport;

namespace CallCenter.ResourceControl.Outbound;

/// <summary>
/// The configured trunks, in order, and what is known of each now (the one owner of that): an outbound
/// call goes through the first, and on to the next when one is down (<see cref="TrunkFailover"/>); the
/// last failure and the registration's state are kept for <c>GET /api/trunks</c>. TLS trunks are given to
/// the transport with how their certificates are checked.
/// </summary>
internal sealed class Trunks
{
    private readonly TrunkState[] _states;
    private readonly SipTransport? _transport;

    public Trunks(IReadOnlyList<Trunk> all, SipTransport? transport = null)
    {
        All = all;
        _transport = transport;
        _states = [.. all.Select(t => new TrunkState(t.Register ? "registering" : "off"))];
        foreach (var trunk in all)
        {
            if (trunk.Tls is { } tls)
            {
                transport?.AddTlsPeer(trunk.Remote.EndPoint, tls);
            }
        }
    }

    public IReadOnlyList<Trunk> All { get; }

    /// <summary>The number an incoming INVITE from <paramref name="source"/> dialled: a registered trunk's DID (<see cref="TrunkInbound"/>), else its Request-URI's user.</summary>
    public string Dialed(SipRequest invite, SipRemote source) => TrunkInbound.Dialed(All, invite, source);

    /// <summary>The trunk an outbound call goes through first, or null when none is configured.</summary>
    public Trunk? First => All.Count > 0 ? All[0] : null;

    /// <summary>The trunk to try after <paramref name="trunk"/> failed, or null when it was the last.</summary>
    public Trunk? After(Trunk trunk)
    {
        var index = IndexOf(trunk);
        return index >= 0 && index + 1 < All.Count ? All[index + 1] : null;
    }

    // By reference: two trunks may be configured alike (the same carrier twice), each has its own state.
    private int IndexOf(Trunk trunk)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (ReferenceEquals(All[i], trunk))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Why <paramref name="final"/> says <paramref name="trunk"/> is down, remembered with <paramref name="at"/>.</summary>
    public string Down(Trunk trunk, SipResponse final, DateTimeOffset at)
    {
        var reason = TrunkFailover.Reason(trunk, final, _transport?.TlsFailure(trunk.Remote.EndPoint));
        var state = _states[IndexOf(trunk)];
        lock (state)
        {
            state.LastFailure = reason;
            state.LastFailureAt = at;
        }

        return reason;
    }

    /// <summary>The registration's state (<c>registered</c>, <c>registering</c>, <c>failed</c>), its expiry and the reason of a failure.</summary>
    public void Registration(Trunk trunk, string status, DateTimeOffset? until, string? reason)
    {
        var state = _states[IndexOf(trunk)];
        lock (state)
        {
            state.Registration = status;
            state.RegisteredUntil = until;
            state.RegistrationReason = reason;
        }
    }

    /// <summary>What the API shows of each trunk: never its password.</summary>
    public IReadOnlyList<TrunkStatus> Status() => [.. All.Select((t, i) =>
    {
        var s = _states[i];
        lock (s)
        {
            return new TrunkStatus(t.Name, t.Remote.EndPoint.ToString(), t.Remote.ViaTransport.ToLowerInvariant(), t.CallerId,
                s.Registration, s.RegisteredUntil, s.RegistrationReason, s.LastFailure, s.LastFailureAt, t.HostName);
        }
    })];

    private sealed class TrunkState(string registration)
    {
        public string Registration { get; set; } = registration;

        public DateTimeOffset? RegisteredUntil { get; set; }

        public string? RegistrationReason { get; set; }

        public string? LastFailure { get; set; }

        public DateTimeOffset? LastFailureAt { get; set; }
    }
}

/// <summary>A trunk as <c>GET /api/trunks</c> shows it; <see cref="HostName"/>: the name its address was given by (null for an IP address).</summary>
internal sealed record TrunkStatus(
    string Name,
    string Address,
    string Transport,
    string CallerId,
    string Registration,
    DateTimeOffset? RegisteredUntil,
    string? RegistrationReason,
    string? LastFailure,
    DateTimeOffset? LastFailureAt,
    string? HostName = null);
