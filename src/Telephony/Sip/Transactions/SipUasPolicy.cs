using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Sip.Transactions;

/// <summary>What this UAS accepts, for <see cref="SipRequestValidator"/> and OPTIONS answers (RFC 3261 8.2, 11.2).</summary>
public sealed record SipUasPolicy
{
    public static SipUasPolicy Default { get; } = new();

    /// <summary>Methods we handle; others we know get 405 with Allow (8.2.1).</summary>
    public IReadOnlyList<string> AllowedMethods { get; init; } =
    [
        SipMethods.Invite, SipMethods.Ack, SipMethods.Bye, SipMethods.Cancel,
        SipMethods.Options, SipMethods.Register, SipMethods.Info, SipMethods.Update, SipMethods.Refer,
    ];

    /// <summary>Methods we recognize at all; anything else gets 501 (RFC 3261 21.5.2).</summary>
    public IReadOnlyList<string> KnownMethods { get; init; } =
    [
        SipMethods.Invite, SipMethods.Ack, SipMethods.Bye, SipMethods.Cancel, SipMethods.Options,
        SipMethods.Register, SipMethods.Info, SipMethods.Update, SipMethods.Prack, SipMethods.Refer,
        SipMethods.Notify, SipMethods.Subscribe, SipMethods.Message, "PUBLISH",
    ];

    /// <summary>Request-URI schemes we serve; others get 416 (8.2.2.1, RFC 4475 3.3.2, 3.3.3).</summary>
    public IReadOnlyList<string> UriSchemes { get; init; } = ["sip", "sips", "tel"];

    /// <summary>
    /// Option tags we implement (Require/Proxy-Require, Supported): "path" (RFC 3327, the registrar
    /// stores a REGISTER's Path and routes calls to the phone through it). Other extensions (100rel,
    /// timer, replaces ...) are not implemented, and claiming one would be a lie.
    /// </summary>
    public IReadOnlyList<string> SupportedOptionTags { get; init; } = ["path"];

    /// <summary>Body media types we understand; a body of another type gets 415 with Accept (8.2.3).</summary>
    public IReadOnlyList<string> AcceptedContentTypes { get; init; } = ["application/sdp", "application/dtmf-relay"];

    /// <summary>Content codings we understand; "identity" means none (8.2.3).</summary>
    public IReadOnlyList<string> AcceptedEncodings { get; init; } = ["identity"];

    /// <summary>The body type our INVITE answers carry; an INVITE whose Accept excludes it gets 406.</summary>
    public string AnswerContentType { get; init; } = "application/sdp";
}
