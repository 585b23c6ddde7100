using CallCenter.Data.Registrations;
using CallCenter.Telephony.Sip.Registrar;

namespace CallCenter.ResourceControl.Agents;

/// <summary>The registrar's <see cref="IRegistrationStore"/> over the sip_bindings table.</summary>
internal sealed class SqlRegistrationStore(SipBindingRepository repository) : IRegistrationStore
{
    public async ValueTask<IReadOnlyList<SipBinding>> GetBindingsAsync(string aor, CancellationToken cancellationToken = default) =>
        [.. (await repository.GetAsync(aor, cancellationToken)).Select(ToBinding)];

    public async ValueTask<IReadOnlyList<SipBinding>> GetAllAsync(CancellationToken cancellationToken = default) =>
        [.. (await repository.GetAllAsync(cancellationToken)).Select(ToBinding)];

    public async ValueTask UpsertAsync(SipBinding binding, CancellationToken cancellationToken = default) =>
        await repository.UpsertAsync(ToRow(binding), cancellationToken);

    public async ValueTask<bool> RemoveAsync(string aor, string contactKey, CancellationToken cancellationToken = default) =>
        await repository.RemoveAsync(aor, contactKey, cancellationToken);

    public async ValueTask<int> RemoveAllAsync(string aor, CancellationToken cancellationToken = default) =>
        await repository.RemoveAllAsync(aor, cancellationToken);

    public async ValueTask<IReadOnlyList<SipBinding>> RemoveExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        [.. (await repository.RemoveExpiredAsync(now.ToUnixTimeMilliseconds(), cancellationToken)).Select(ToBinding)];

    internal static SipBinding ToBinding(SipBindingRow row) => new()
    {
        Aor = row.Aor,
        ContactKey = row.ContactKey,
        ContactScheme = row.ContactScheme,
        ContactUser = row.ContactUser,
        ContactHost = row.ContactHost,
        ContactPort = row.ContactPort,
        ContactTransport = row.ContactTransport,
        ContactUriParameters = row.ContactUriParameters,
        SourceTransport = row.SourceTransport,
        SourceAddress = row.SourceAddress,
        SourcePort = row.SourcePort,
        CallId = row.CallId,
        CSeq = row.CSeq,
        Q = row.Q,
        ExpiresAt = DateTimeOffset.FromUnixTimeMilliseconds(row.ExpiresAtMs),
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(row.UpdatedAtMs),
        Path = row.Path,
    };

    private static SipBindingRow ToRow(SipBinding binding) => new()
    {
        Aor = binding.Aor,
        ContactKey = binding.ContactKey,
        ContactScheme = binding.ContactScheme,
        ContactUser = binding.ContactUser,
        ContactHost = binding.ContactHost,
        ContactPort = binding.ContactPort,
        ContactTransport = binding.ContactTransport,
        ContactUriParameters = binding.ContactUriParameters,
        SourceTransport = binding.SourceTransport,
        SourceAddress = binding.SourceAddress,
        SourcePort = binding.SourcePort,
        CallId = binding.CallId,
        CSeq = binding.CSeq,
        Q = binding.Q,
        ExpiresAtMs = binding.ExpiresAt.ToUnixTimeMilliseconds(),
        UpdatedAtMs = binding.UpdatedAt.ToUnixTimeMilliseconds(),
        Path = binding.Path,
    };
}
