namespace CallCenter.AgentDesk.Auth;

/// <summary>The numbers of <see cref="SignInGuard"/>, from <see cref="DeskOptions"/>.</summary>
internal sealed record SignInLimits(
    int MaxFailuresPerLogin,
    TimeSpan Lockout,
    int MaxFailuresPerSource,
    TimeSpan SourceWindow,
    TimeSpan SourceBan,
    int MaxTracked)
{
    /// <summary>Sources, and login-and-source pairs, remembered at most (each table): a few MB at worst.</summary>
    public const int DefaultMaxTracked = 10_000;

    public static SignInLimits From(DeskOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SignInLimits(
            options.MaxFailedSignIns,
            TimeSpan.FromMinutes(options.LockoutMinutes),
            options.MaxFailedSignInsPerAddress,
            TimeSpan.FromMinutes(options.AddressWindowMinutes),
            TimeSpan.FromMinutes(options.AddressBanMinutes),
            DefaultMaxTracked);
    }
}
