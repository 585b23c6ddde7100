namespace CallCenter.FaxSms.Broadcasts;

/// <summary>The back office failed or timed out while a broadcast's audience or <c>{{holdings}}</c> were asked of it.</summary>
public sealed class BackOfficeUnavailableException(Exception inner)
    : Exception($"The back office did not answer ({inner.GetType().Name}: {inner.Message}); nothing was sent, try again later.", inner)
{
}
