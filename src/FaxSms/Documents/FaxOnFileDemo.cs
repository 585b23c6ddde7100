using CallCenter.Data;
using Dapper;

namespace CallCenter.FaxSms.Documents;

/// <summary>
/// The demo's fax number on file (only with <c>Demo:Seed</c>): demo client <c>13800000002</c> has the platform's
/// own fax number <c>95580</c> on file, so the hotline's documents menu offers "the number on file" to them and the
/// fax it sends arrives back at the platform's fax number on one machine. Other demo clients have none.
/// </summary>
public static class FaxOnFileDemo
{
    public const string Client = "13800000002";

    public const string Fax = "95580";

    public static async Task SeedAsync(DbConnectionFactory factory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(factory);
        await using var connection = await factory.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE clients SET fax = @fax WHERE phone = @phone AND fax IS NULL",
            new { fax = Fax, phone = Client }, cancellationToken: cancellationToken));
    }
}
