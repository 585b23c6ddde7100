namespace CallCenter.Notices.Audio;

/// <summary>The outcome of <see cref="TelephonyAudio.Convert"/>: 8 kHz mono samples, or why the file was refused.</summary>
internal sealed record AudioConversion(short[]? Samples, string? Error)
{
    public static AudioConversion Done(short[] samples) => new(samples, null);

    public static AudioConversion Refused(string error) => new(null, error);

    public TimeSpan Duration => TimeSpan.FromSeconds((Samples?.Length ?? 0) / (double)TelephonyAudio.SampleRate);
}
