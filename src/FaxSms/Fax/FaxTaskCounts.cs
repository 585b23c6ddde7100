using CallCenter.Contracts.Desk;

namespace CallCenter.FaxSms.Fax;

/// <summary>The wallboard's count of received faxes still to handle, and the oldest one's time (<see cref="FaxRepository.NewTasksAsync"/>).</summary>
internal sealed class FaxTaskCounts(FaxRepository faxes) : IFaxTaskCounts
{
    public async Task<FaxTaskCount> CountAsync(CancellationToken cancellationToken)
    {
        var (count, oldest) = await faxes.NewTasksAsync(cancellationToken);
        return new FaxTaskCount(count, oldest);
    }
}
