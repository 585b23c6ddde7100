namespace CallCenter.FaxSms.Email.Inbound;

/// <summary>Wakes <see cref="EmailTaskOffers"/> when a task arrived or an agent became free (otherwise it polls).</summary>
public sealed class EmailTaskSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Notify()
    {
        try
        {
            if (_semaphore.CurrentCount == 0)
            {
                _semaphore.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _semaphore.WaitAsync(timeout, cancellationToken);
}
