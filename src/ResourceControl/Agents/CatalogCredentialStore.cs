using CallCenter.Data.Catalog;
using CallCenter.Telephony.Sip.Auth;

namespace CallCenter.ResourceControl.Agents;

/// <summary>Agents' SIP digest credentials (HA1 only) from the catalog, for the registrar.</summary>
internal sealed class CatalogCredentialStore(CatalogRepository catalog) : ISipCredentialStore
{
    public async ValueTask<SipCredential?> FindAsync(string username, CancellationToken cancellationToken = default)
    {
        var agent = await catalog.FindAgentAsync(username, cancellationToken);
        return agent is null
            ? null
            : new SipCredential { Username = agent.Extension, Realm = agent.SipRealm, Md5Ha1 = agent.SipHa1Md5, Sha256Ha1 = agent.SipHa1Sha256 };
    }
}
