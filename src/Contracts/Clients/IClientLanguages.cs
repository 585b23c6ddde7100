namespace CallCenter.Contracts.Clients;

/// <summary>
/// The language the client directory records for a client ("zh" or "en"), which self-service prompts and
/// documents use once the caller is known, in place of the language chosen on the call.
/// </summary>
public interface IClientLanguages
{
    /// <summary>The recorded language of the client with this phone number (the directory's key); null when unknown.</summary>
    Task<string?> LanguageOfAsync(string phone, CancellationToken cancellationToken);
}
