using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Sip.Transactions;

/// <summary>
/// The UAS request checks of RFC 3261 8.2 as a pure function, in the RFC's order: method (8.2.1),
/// Request-URI scheme (8.2.2.1), Require (8.2.2.3), content (8.2.3), then the INVITE's Accept.
/// Max-Forwards is not checked: at an endpoint a request without it, or with 0, is served
/// (RFC 4475 3.4.1, 3.3.11). Merged requests (8.2.2.2) are the transaction layer's job, the
/// dialog checks are <c>SipDialogTable</c>'s. An ACK is never answered, so it always passes.
/// </summary>
public static class SipRequestValidator
{
    /// <summary>The rejection to send, or null to go on with the request.</summary>
    public static SipResponse? Validate(SipRequest request, SipUasPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(policy);
        if (request.Method == SipMethods.Ack)
        {
            return null;
        }

        if (!policy.AllowedMethods.Contains(request.Method, StringComparer.Ordinal))
        {
            if (!policy.KnownMethods.Contains(request.Method, StringComparer.Ordinal))
            {
                return SipMessageBuilder.CreateResponse(request, 501);
            }

            var notAllowed = SipMessageBuilder.CreateResponse(request, 405);
            notAllowed.Headers.Add(SipHeaderNames.Allow, string.Join(", ", policy.AllowedMethods));
            return notAllowed;
        }

        if (!policy.UriSchemes.Contains(request.RequestUri.Scheme, StringComparer.OrdinalIgnoreCase))
        {
            return SipMessageBuilder.CreateResponse(request, 416);
        }

        // 8.2.2.3: CANCEL is not checked against Require (its Require would be the INVITE's problem). Most requests
        // carry neither header: they are not walked at all (every INVITE, ACK and BYE comes through here).
        if (request.Method != SipMethods.Cancel
            && (request.Headers.Contains(SipHeaderNames.Require) || request.Headers.Contains(SipHeaderNames.ProxyRequire)))
        {
            var unsupported = Tokens(request, SipHeaderNames.Require)
                .Concat(Tokens(request, SipHeaderNames.ProxyRequire))
                .Where(tag => !policy.SupportedOptionTags.Contains(tag, StringComparer.OrdinalIgnoreCase))
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToList();
            if (unsupported.Count > 0)
            {
                var badExtension = SipMessageBuilder.CreateResponse(request, 420);
                badExtension.Headers.Add(SipHeaderNames.Unsupported, string.Join(", ", unsupported));
                return badExtension;
            }
        }

        if (request.Method != SipMethods.Cancel && CheckContent(request, policy) is { } contentError)
        {
            return contentError;
        }

        if (request.Method == SipMethods.Invite && !AcceptsAnswer(request, policy.AnswerContentType))
        {
            // RFC 4475 3.3.15: we cannot answer in a type the caller takes.
            var notAcceptable = SipMessageBuilder.CreateResponse(request, 406);
            notAcceptable.Headers.Add(SipHeaderNames.Accept, policy.AnswerContentType);
            return notAcceptable;
        }

        return null;
    }

    private static SipResponse? CheckContent(SipRequest request, SipUasPolicy policy)
    {
        var encodings = request.Headers.Contains(SipHeaderNames.ContentEncoding)
            ? Tokens(request, SipHeaderNames.ContentEncoding).Where(e => !policy.AcceptedEncodings.Contains(e, StringComparer.OrdinalIgnoreCase)).ToList()
            : null;
        var typeOk = request.Body.IsEmpty
            || (request.ContentType is { } type && policy.AcceptedContentTypes.Contains(MediaType(type), StringComparer.OrdinalIgnoreCase));
        if (typeOk && encodings is not { Count: > 0 })
        {
            return null;
        }

        // 8.2.3: 415 listing what we accept, with Accept-Encoding when the coding was the problem.
        var response = SipMessageBuilder.CreateResponse(request, 415);
        response.Headers.Add(SipHeaderNames.Accept, string.Join(", ", policy.AcceptedContentTypes));
        if (encodings is { Count: > 0 })
        {
            response.Headers.Add("Accept-Encoding", string.Join(", ", policy.AcceptedEncodings));
        }

        return response;
    }

    /// <summary>True when the request has no Accept or one of its ranges covers <paramref name="type"/>.</summary>
    private static bool AcceptsAnswer(SipRequest request, string type)
    {
        if (!request.Headers.Contains(SipHeaderNames.Accept))
        {
            return true;
        }

        var ranges = Tokens(request, SipHeaderNames.Accept).Select(MediaType).ToList();
        if (ranges.Count == 0)
        {
            // An empty Accept means no body is acceptable (RFC 3261 20.1).
            return false;
        }

        var slash = type.IndexOf('/', StringComparison.Ordinal);
        var wildcard = type[..slash] + "/*";
        return ranges.Any(r => r == "*/*"
            || string.Equals(r, type, StringComparison.OrdinalIgnoreCase)
            || string.Equals(r, wildcard, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The comma-separated tokens of every field of a header, trimmed.</summary>
    private static IEnumerable<string> Tokens(SipRequest request, string header) =>
        request.Headers.GetAll(header)
            .SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>"type/subtype" without parameters, lower-case.</summary>
    private static string MediaType(string value)
    {
        var semicolon = value.IndexOf(';', StringComparison.Ordinal);
        return (semicolon < 0 ? value : value[..semicolon]).Trim().ToLowerInvariant();
    }
}
