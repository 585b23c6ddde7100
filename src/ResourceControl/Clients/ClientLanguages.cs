using CallCenter.Contracts.Clients;
using CallCenter.Data;
using Dapper;

namespace CallCenter.ResourceControl.Clients;

/// <summary>The client directory's recorded language (<see cref="IClientLanguages"/>): one SELECT on <c>clients</c>.</summary>
internal sealed class ClientLanguages(DbConnectionFactory factory) : IClientLanguages
{
    public async Task<string?> LanguageOfAsync(string phone, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var language = await connection.QueryFirstOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT language FROM clients WHERE phone = @phone", new { phone }, cancellationToken: cancellationToken));
        return language is "zh" or "en" ? language : null;
    }
}
