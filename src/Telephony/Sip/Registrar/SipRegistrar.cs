using System.Globalization;
using CallCenter.Telephony.Sip.Auth;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Transport;

namespace CallCenter.Telephony.Sip.Registrar;

/// <summary>
/// The registrar core (RFC 3261 10.3): takes a REGISTER, the address it came from and the
/// time, and returns the response to send. No sockets and no clock of its own; bindings live in
/// an <see cref="IRegistrationStore"/>. REGISTERs for one AOR are processed one at a time, and
/// every check of a request runs before any binding changes, so a request updates all of its
/// bindings or none (10.3 step 7). Thread-safe.
/// </summary>
public sealed class SipRegistrar
{
    private const int LockStripes = 64;

    /// <summary>Path entries a REGISTER may carry: a proxy or two in practice; a bound so a hostile one cannot bloat the store.</summary>
    private const int MaxPathEntries = 8;

    private readonly IRegistrationStore _store;
    private readonly SipDigestAuthenticator _authenticator;
    private readonly SipRegistrarOptions _options;
    private readonly SemaphoreSlim[] _locks = [.. Enumerable.Range(0, LockStripes).Select(_ => new SemaphoreSlim(1, 1))];

    public SipRegistrar(IRegistrationStore store, SipDigestAuthenticator authenticator, SipRegistrarOptions options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(authenticator);
        ArgumentNullException.ThrowIfNull(options);
        options.ValidateOrThrow();
        _store = store;
        _authenticator = authenticator;
        _options = options;
    }

    /// <summary>
    /// Raised after a binding is added, refreshed, removed or found expired, once the store has
    /// the change. Handlers run on the caller's thread and must not throw.
    /// </summary>
    public event EventHandler<SipBindingChangedEventArgs>? BindingChanged;

    /// <summary>
    /// Handles a REGISTER end to end: digest authentication (10.3 step 3), then
    /// <see cref="RegisterAsync"/> as the authenticated user. Returns the response to send.
    /// </summary>
    public async ValueTask<SipResponse> HandleAsync(SipRequest request, SipRemote source, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var auth = await _authenticator.AuthenticateAsync(request, now, cancellationToken).ConfigureAwait(false);
        if (!auth.IsAuthenticated)
        {
            return auth.Response!;
        }

        return await RegisterAsync(request, auth.Username!, source, now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Applies a REGISTER already authenticated as <paramref name="authenticatedUser"/>
    /// (RFC 3261 10.3 steps 4 to 8) and returns the response: 200 with every current binding,
    /// or 400, 403, 404, 423 or 500.
    /// </summary>
    public async ValueTask<SipResponse> RegisterAsync(
        SipRequest request,
        string authenticatedUser,
        SipRemote source,
        DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(authenticatedUser);
        if (request.Method != SipMethods.Register)
        {
            throw new ArgumentException("The registrar handles REGISTER only, not " + request.Method + ".", nameof(request));
        }

        if (request.To is null || request.CallId is null || request.CSeq is null)
        {
            return SipMessageBuilder.CreateResponse(request, 400, "Missing To, Call-ID or CSeq");
        }

        // Step 5: the AOR is the To URI; this single-domain registrar keys it by the user part.
        var aorUri = request.To.Uri;
        if (!aorUri.IsSip || string.IsNullOrEmpty(aorUri.User))
        {
            return SipMessageBuilder.CreateResponse(request, 404, "Not Found");
        }

        var aor = aorUri.User;

        // Step 4: an authenticated user may change only its own bindings (no third-party registration).
        if (!string.Equals(aor, authenticatedUser, StringComparison.Ordinal))
        {
            return SipMessageBuilder.CreateResponse(request, 403, "Forbidden");
        }

        var gate = _locks[(uint)StringComparer.Ordinal.GetHashCode(aor) % LockStripes];
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        List<SipBindingChangedEventArgs> changes;
        SipResponse response;
        try
        {
            var stored = await _store.GetBindingsAsync(aor, cancellationToken).ConfigureAwait(false);
            var current = stored.Where(b => b.IsActive(now)).ToDictionary(b => b.ContactKey, StringComparer.Ordinal);
            var path = CheckPath(request, out var pathRejection);
            var plan = pathRejection is not null ? Plan.Reject(pathRejection)
                : request.ContactStar ? PlanRemoveAll(request, current)
                : PlanUpdates(request, aor, source, now, current, path);
            if (plan.Rejection is not null)
            {
                return plan.Rejection;
            }

            changes = await CommitAsync(aor, plan.Changes, current, cancellationToken).ConfigureAwait(false);
            response = SipMessageBuilder.CreateResponse(request, 200, "OK");
            foreach (var binding in Order(current.Values))
            {
                response.Contacts.Add(binding.ToContact(now));
            }

            // RFC 3327 5.3: the Path as stored goes back to a phone that supports it, so it can see its proxies.
            if (path is not null && SupportsPath(request))
            {
                response.Paths.AddRange(request.Paths.Select(p => p.Clone()));
            }

            // RFC 3261 10.3 step 8, 20.17: a Date header lets simple phones set their clock.
            response.Headers.Add(SipHeaderNames.Date, now.UtcDateTime.ToString("r", CultureInfo.InvariantCulture));
        }
        finally
        {
            gate.Release();
        }

        Raise(changes);
        return response;
    }

    /// <summary>
    /// The active bindings of <paramref name="extension"/>, best first (highest q, then the most
    /// recently refreshed): empty when it is not registered. Send a request to
    /// <see cref="SipBinding.ToSource"/> with <see cref="SipBinding.ToContactUri"/> as Request-URI.
    /// </summary>
    public async ValueTask<IReadOnlyList<SipBinding>> GetActiveBindingsAsync(string extension, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var stored = await _store.GetBindingsAsync(extension, cancellationToken).ConfigureAwait(false);
        return [.. Order(stored.Where(b => b.IsActive(now)))];
    }

    /// <summary>
    /// The connection <paramref name="source"/> has closed. A browser (RFC 7118 5) cannot be reached
    /// any other way, so the bindings of <paramref name="aor"/> registered over that connection go now
    /// instead of when they expire, each raising <see cref="SipBindingChange.Removed"/>. A binding the
    /// browser has since refreshed over a new connection has a new source and stays. Returns how many went.
    /// </summary>
    public async ValueTask<int> RemoveConnectionBindingsAsync(string aor, SipRemote source, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(aor);
        var gate = _locks[(uint)StringComparer.Ordinal.GetHashCode(aor) % LockStripes];
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var changes = new List<SipBindingChangedEventArgs>();
        try
        {
            var active = (await _store.GetBindingsAsync(aor, cancellationToken).ConfigureAwait(false)).Where(b => b.IsActive(now)).ToList();
            var left = active.Count;
            foreach (var binding in active.Where(b => b.ToSource() == source))
            {
                if (await _store.RemoveAsync(aor, binding.ContactKey, cancellationToken).ConfigureAwait(false))
                {
                    changes.Add(new SipBindingChangedEventArgs(binding, SipBindingChange.Removed, --left));
                }
            }
        }
        finally
        {
            gate.Release();
        }

        Raise(changes);
        return changes.Count;
    }

    /// <summary>
    /// At start-up: a binding made over a WebSocket (RFC 7118) before <paramref name="startedAt"/> was made over a
    /// connection of an earlier run of the process, which ended with it, and a browser is reached on its own connection
    /// only (RFC 7118 5): it can never ring again. Each goes (raising <see cref="SipBindingChange.Removed"/> for one
    /// still active), so the agent does not show as registered and no INVITE is sent to it; the browser that reconnects
    /// registers again and gets a binding on its new connection. Bindings over UDP, TCP and TLS stay until they expire,
    /// as does a browser's binding made since <paramref name="startedAt"/>. Returns how many went.
    /// </summary>
    public async ValueTask<int> RemoveEarlierWebSocketBindingsAsync(DateTimeOffset startedAt, CancellationToken cancellationToken = default)
    {
        var aors = (await _store.GetAllAsync(cancellationToken).ConfigureAwait(false))
            .Where(b => IsEarlierWebSocket(b, startedAt))
            .Select(b => b.Aor)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var changes = new List<SipBindingChangedEventArgs>();
        var removed = 0;
        foreach (var aor in aors)
        {
            var gate = _locks[(uint)StringComparer.Ordinal.GetHashCode(aor) % LockStripes];
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var stored = await _store.GetBindingsAsync(aor, cancellationToken).ConfigureAwait(false);
                var left = stored.Count(b => b.IsActive(startedAt));
                foreach (var binding in stored.Where(b => IsEarlierWebSocket(b, startedAt)))
                {
                    if (!await _store.RemoveAsync(aor, binding.ContactKey, cancellationToken).ConfigureAwait(false))
                    {
                        continue;
                    }

                    removed++;
                    if (binding.IsActive(startedAt))
                    {
                        changes.Add(new SipBindingChangedEventArgs(binding, SipBindingChange.Removed, --left));
                    }
                }
            }
            finally
            {
                gate.Release();
            }
        }

        Raise(changes);
        return removed;
    }

    private static bool IsEarlierWebSocket(SipBinding binding, DateTimeOffset startedAt) =>
        binding.UpdatedAt < startedAt && binding.ToSource().Protocol == SipTransportProtocol.Ws;

    /// <summary>Removes expired bindings and raises <see cref="SipBindingChange.Expired"/> for each; the host calls it periodically.</summary>
    public async ValueTask<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var removed = await _store.RemoveExpiredAsync(now, cancellationToken).ConfigureAwait(false);
        var changes = new List<SipBindingChangedEventArgs>(removed.Count);
        foreach (var group in removed.GroupBy(b => b.Aor, StringComparer.Ordinal))
        {
            var left = (await GetActiveBindingsAsync(group.Key, now, cancellationToken).ConfigureAwait(false)).Count;
            changes.AddRange(group.Select(b => new SipBindingChangedEventArgs(b, SipBindingChange.Expired, left)));
        }

        Raise(changes);
        return removed.Count;
    }

    /// <summary>Contact: * (RFC 3261 10.3 step 6): only with Expires: 0 and no other contact.</summary>
    private static Plan PlanRemoveAll(SipRequest request, Dictionary<string, SipBinding> current)
    {
        if (request.Contacts.Count > 0 || request.Expires != 0)
        {
            return Plan.Reject(SipMessageBuilder.CreateResponse(request, 400, "Invalid Contact: *"));
        }

        var changes = new List<PlannedChange>();
        foreach (var binding in current.Values)
        {
            if (IsOutOfOrder(request, binding))
            {
                return Plan.Reject(SipMessageBuilder.CreateResponse(request, 500, "Out of Order"));
            }

            changes.Add(new PlannedChange(binding.ContactKey, null));
        }

        return new Plan(changes, null);
    }

    /// <summary>
    /// The REGISTER's Path (RFC 3327 5.3) as it is stored with its bindings, or null when it has none.
    /// At most <see cref="MaxPathEntries"/> entries, each a SIP URI, and the first (where a call to the
    /// phone is sent) an IP address we can reach without DNS; otherwise 400 with the reason.
    /// </summary>
    private static string? CheckPath(SipRequest request, out SipResponse? rejection)
    {
        rejection = null;
        if (request.Paths.Count == 0)
        {
            return null;
        }

        if (request.Paths.Count > MaxPathEntries)
        {
            rejection = SipMessageBuilder.CreateResponse(request, 400, "Too Many Path Entries");
            return null;
        }

        if (request.Paths.Any(p => !p.Uri.IsSip) || !SipNextHop.TryResolve(request.Paths[0].Uri, out _, out _))
        {
            rejection = SipMessageBuilder.CreateResponse(request, 400, "Unusable Path: the first entry must be a SIP URI with an IP address");
            return null;
        }

        return string.Join(", ", request.Paths.Select(p => SipWriter.Write(p)));
    }

    private static bool SupportsPath(SipRequest request) =>
        request.Headers.GetAll(SipHeaderNames.Supported).Concat(request.Headers.GetAll(SipHeaderNames.Require))
            .SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Contains("path", StringComparer.OrdinalIgnoreCase);

    private Plan PlanUpdates(SipRequest request, string aor, SipRemote source, DateTimeOffset now, Dictionary<string, SipBinding> current, string? path)
    {
        var changes = new List<PlannedChange>();
        var planned = new Dictionary<string, SipBinding?>(StringComparer.Ordinal);
        foreach (var contact in request.Contacts)
        {
            var uri = contact.Uri;
            if (!uri.IsSip || string.IsNullOrEmpty(uri.Host))
            {
                // We must be able to send INVITEs to a binding; other schemes are of no use here.
                return Plan.Reject(SipMessageBuilder.CreateResponse(request, 400, "Unsupported Contact URI"));
            }

            if (!TryReadQ(contact, out var q))
            {
                return Plan.Reject(SipMessageBuilder.CreateResponse(request, 400, "Invalid q-value"));
            }

            var expires = RequestedExpires(contact, request);
            if (expires != 0 && expires < _options.MinExpires)
            {
                var tooBrief = SipMessageBuilder.CreateResponse(request, 423, "Interval Too Brief");
                tooBrief.Headers.Add(SipHeaderNames.MinExpires, _options.MinExpires.ToString(CultureInfo.InvariantCulture));
                return Plan.Reject(tooBrief);
            }

            expires = Math.Min(expires, (uint)_options.MaxExpires);
            var key = ContactKeys.Key(uri);
            if (current.TryGetValue(key, out var existing) && IsOutOfOrder(request, existing))
            {
                return Plan.Reject(SipMessageBuilder.CreateResponse(request, 500, "Out of Order"));
            }

            planned[key] = expires == 0 ? null : new SipBinding
            {
                Aor = aor,
                ContactKey = key,
                ContactScheme = uri.Scheme.ToLowerInvariant(),
                ContactUser = uri.User,
                ContactHost = uri.Host,
                ContactPort = uri.Port,
                ContactTransport = uri.Transport,
                ContactUriParameters = ContactKeys.FormatParameters(uri.Parameters),
                SourceTransport = source.ViaTransport,
                SourceAddress = source.EndPoint.Address.ToString(),
                SourcePort = source.EndPoint.Port,
                CallId = request.CallId!,
                CSeq = request.CSeq!.Value.Number,
                ExpiresAt = now.AddSeconds(expires),
                Q = q,
                UpdatedAt = now,
                Path = path,
            };
        }

        // A contact named twice in one request: the last one counts.
        foreach (var (key, binding) in planned)
        {
            changes.Add(new PlannedChange(key, binding));
        }

        return new Plan(changes, null);
    }

    /// <summary>
    /// RFC 3261 10.3 step 7: with the same Call-ID, a CSeq not above the stored one is a
    /// reordered or replayed REGISTER and must not change the binding; a new Call-ID replaces it.
    /// </summary>
    private static bool IsOutOfOrder(SipRequest request, SipBinding existing) =>
        string.Equals(existing.CallId, request.CallId, StringComparison.Ordinal) && request.CSeq!.Value.Number <= existing.CSeq;

    /// <summary>
    /// The contact's expires parameter, else the Expires header, else the default (RFC 3261
    /// 10.2.1.1, 10.3 step 6); a malformed value counts as the default (20.10) and a huge one is capped.
    /// </summary>
    private uint RequestedExpires(SipNameAddress contact, SipRequest request)
    {
        var parameter = contact.Parameters.IndexOf("expires");
        if (parameter >= 0)
        {
            var text = contact.Parameters[parameter].Value;
            if (text is { Length: > 0 } && text.All(char.IsAsciiDigit))
            {
                return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= uint.MaxValue
                    ? (uint)value
                    : uint.MaxValue;
            }

            return (uint)_options.DefaultExpires;
        }

        return request.Expires ?? (uint)_options.DefaultExpires;
    }

    /// <summary>qvalue = ("0" ["." 0*3DIGIT]) / ("1" ["." 0*3("0")]) (RFC 3261 25.1).</summary>
    private static bool TryReadQ(SipNameAddress contact, out double? q)
    {
        q = null;
        if (!contact.Parameters.Contains("q"))
        {
            return true;
        }

        var text = contact.Parameters.Get("q");
        if (text is null || text.Length is 0 or > 5 || text[0] is not ('0' or '1'))
        {
            return false;
        }

        if (text.Length > 1 && (text[1] != '.' || text.AsSpan(2).ContainsAnyExceptInRange('0', '9')))
        {
            return false;
        }

        var value = double.Parse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        if (value > 1)
        {
            return false;
        }

        q = value;
        return true;
    }

    private async ValueTask<List<SipBindingChangedEventArgs>> CommitAsync(
        string aor,
        List<PlannedChange> plan,
        Dictionary<string, SipBinding> current,
        CancellationToken cancellationToken)
    {
        var applied = new List<(SipBinding Binding, SipBindingChange Change)>();
        foreach (var (key, binding) in plan)
        {
            var existed = current.Remove(key, out var old);
            if (binding is null)
            {
                // Expired-but-unpurged rows go too, so the store does not keep them around.
                var removed = await _store.RemoveAsync(aor, key, cancellationToken).ConfigureAwait(false);
                if (existed && removed)
                {
                    applied.Add((old!, SipBindingChange.Removed));
                }

                continue;
            }

            await _store.UpsertAsync(binding, cancellationToken).ConfigureAwait(false);
            current[key] = binding;
            applied.Add((binding, existed ? SipBindingChange.Refreshed : SipBindingChange.Added));
        }

        return [.. applied.Select(a => new SipBindingChangedEventArgs(a.Binding, a.Change, current.Count))];
    }

    private static IEnumerable<SipBinding> Order(IEnumerable<SipBinding> bindings) =>
        bindings.OrderByDescending(b => b.Q ?? 1.0).ThenByDescending(b => b.UpdatedAt).ThenBy(b => b.ContactKey, StringComparer.Ordinal);

    private void Raise(List<SipBindingChangedEventArgs> changes)
    {
        var handler = BindingChanged;
        if (handler is null)
        {
            return;
        }

        foreach (var change in changes)
        {
            handler(this, change);
        }
    }

    private readonly record struct PlannedChange(string ContactKey, SipBinding? Binding);

    private sealed record Plan(List<PlannedChange> Changes, SipResponse? Rejection)
    {
        public static Plan Reject(SipResponse response) => new([], response);
    }
}
