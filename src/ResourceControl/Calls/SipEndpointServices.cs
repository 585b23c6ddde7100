using CallCenter.Data.Calls;
using CallCenter.Data.Catalog;
using CallCenter.ResourceControl.Routing;
using CallCenter.Telephony.Media;
using CallCenter.Telephony.Rtp;
using CallCenter.Telephony.Transport;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// What <see cref="SipEndpoint"/> speaks SIP with: the transport, the registrar (REGISTER and the agents'
/// bindings), who is trusted, how many calls a source may have, and where out-of-dialog requests go.
/// </summary>
internal sealed record SipEdge(
    SipTransport Transport,
    RegisterHandler Registrar,
    Telephony.Sip.Registrar.SipRegistrar Bindings,
    Telephony.Sip.SipTrustedPeers TrustedPeers,
    CallAdmission Admission,
    Telephony.Sip.SipOutboundProxy? OutboundProxy = null);

/// <summary>A call's media: RTP ports and counters, the media clock, relayed totals, prompts and recording.</summary>
internal sealed record CallMedia(
    RtpPortAllocator Ports,
    RtpCounters RtpCounters,
    MediaClock Clock,
    RelayTotals RelayTotals,
    PromptLibrary Prompts,
    Hosting.RecordingOptions Recording);

/// <summary>Where a call's caller goes and who takes it: the ACD's queues, the agents' presence, claims and wrap-ups.</summary>
internal sealed record CallRouting(
    Queues.AcdQueues Queues,
    Agents.AgentPresence Presence,
    RoutingOptions Routing,
    Agents.AgentOptions AgentOptions,
    WrapUps WrapUps,
    Agents.IAgentClaims? Claims = null);

/// <summary>Calls the platform places: trunks, the dial plan, callbacks and the outbound rules.</summary>
internal sealed record OutboundCalling(
    Outbound.Trunks Trunks,
    Outbound.DialingOptions Dialing,
    Outbound.Callbacks Callbacks,
    Outbound.OutboundRules Rules);

/// <summary>What a call reads and writes: the catalog, caller lookups, the call records and the event log.</summary>
internal sealed record CallStores(
    CatalogRepository Catalog,
    CallerLookupRepository Callers,
    Records.CallRecordWriter Records,
    Records.EventLog Events);
