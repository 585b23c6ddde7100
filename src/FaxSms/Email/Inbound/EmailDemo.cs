using CallCenter.Data;
using Dapper;

namespace CallCenter.FaxSms.Email.Inbound;

/// <summary>
/// The demo's e-mail data (only with <c>Demo:Seed</c>): demo client <c>1380000000N</c> writes from
/// <c>clientN@example.com</c>, so a mail from that address is matched to the client and its tier.
/// </summary>
public static class EmailDemo
{
    public static async Task SeedAsync(DbConnectionFactory factory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(factory);
        await using var connection = await factory.OpenAsync(cancellationToken);
        for (var n = 1; n <= 6; n++)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE clients SET email = @email WHERE phone = @phone AND email IS NULL",
                new { email = $"client{n}@example.com", phone = $"1380000000{n}" }, cancellationToken: cancellationToken));
        }
    }
}
