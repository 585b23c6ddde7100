namespace CallCenter.FaxSms;

/// <summary>
/// Wakes one waiting loop early (otherwise it polls): any number of <see cref="Notify"/> calls before
/// the loop waits again count as one. Each loop has its own subclass, so each is its own service.
/// </summary>
public abstract class WakeSignal
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
