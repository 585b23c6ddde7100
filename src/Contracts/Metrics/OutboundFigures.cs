namespace CallCenter.Contracts.Metrics;

/// <summary>
/// Outbound calls in the period (callbacks, list calls, click-to-dial): the attempts that rang the client, those that
/// reached them, the contact rate (contacts / attempts) and attempts per contact (null when there is nothing to divide).
/// </summary>
public sealed record OutboundFigures(int Attempts, int Contacts, double? ContactRate, double? AttemptsPerContact);
