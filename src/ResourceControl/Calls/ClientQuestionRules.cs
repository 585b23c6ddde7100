namespace CallCenter.ResourceControl.Calls;

/// <summary>How long the new-account question waits for the client's key, and how often it is put (pure).</summary>
internal static class ClientQuestionRules
{
    /// <summary>After the question of <paramref name="length"/> is played, the client has <paramref name="silence"/> to press a key.</summary>
    public static TimeSpan Wait(TimeSpan length, TimeSpan silence) => length + silence;

    /// <summary>
    /// The question has been played <paramref name="plays"/> times and met silence: put again while it has been repeated
    /// fewer than <paramref name="repeats"/> times, else it ends with no key from the client.
    /// </summary>
    public static bool AskAgain(int plays, int repeats) => plays <= repeats;

    /// <summary>The client's own language on record when the directory knows them, else the one the callback was booked in, else Chinese.</summary>
    public static string Language(string? recorded, string? booked) =>
        !string.IsNullOrWhiteSpace(recorded) ? recorded : !string.IsNullOrWhiteSpace(booked) ? booked : "zh";
}
