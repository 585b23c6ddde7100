using System.Security.Cryptography;
using CallCenter.Telephony.Media.Audio;

namespace CallCenter.ResourceControl.Records;

/// <summary>
/// At start-up, before interrupted calls are closed: recordings a killed process left with sizes that
/// say less than they hold get their headers repaired (<see cref="WavHeaderRepair"/>), and an
/// interrupted call's recording is found by its name (the call id, as the bridge names it) with its
/// SHA-256, for records whose progress lacks them.
/// </summary>
internal static partial class CutRecordings
{
    /// <summary>Repairs every WAV file in <paramref name="directory"/> whose header needs it; returns how many were repaired.</summary>
    public static int RepairAll(string directory, ILogger logger)
    {
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        var repaired = 0;
        foreach (var path in Directory.EnumerateFiles(directory, "*.wav"))
        {
            try
            {
                switch (WavHeaderRepair.RepairFile(path))
                {
                    case WavRepairOutcome.Repaired:
                        repaired++;
                        LogRepaired(logger, path);
                        break;
                    case WavRepairOutcome.NotRepairable:
                        LogNotRepairable(logger, path);
                        break;
                    default:
                        break;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // One unreadable file must not stop the platform from starting.
                LogNotRepairable(logger, path);
            }
        }

        return repaired;
    }

    /// <summary>The recording of call <paramref name="callId"/> and its SHA-256, when there is one.</summary>
    public static (string Path, string Sha256)? Find(string directory, string callId)
    {
        var path = Path.Combine(directory, callId + ".wav");
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
            return (path, Convert.ToHexStringLower(SHA256.HashData(file)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    [LoggerMessage(2320, LogLevel.Warning, "Recording {Path} was cut by a stop mid-call; its header now says the audio it holds")]
    private static partial void LogRepaired(ILogger logger, string path);

    [LoggerMessage(2321, LogLevel.Warning, "Recording {Path} is not a WAV file whose header can be repaired; left as it is")]
    private static partial void LogNotRepairable(ILogger logger, string path);
}
