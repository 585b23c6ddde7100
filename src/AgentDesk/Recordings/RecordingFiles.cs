namespace CallCenter.AgentDesk.Recordings;

/// <summary>
/// Where the platform writes call recordings (the host passes its <c>Recording:Directory</c>). Only a file
/// inside this directory is ever served, whatever path a call record holds.
/// </summary>
public sealed class RecordingFiles(string directory)
{
    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>The full path of a record's recording when it lies inside <see cref="Directory"/> (no "..", no symbolic link); null otherwise.</summary>
    public string? Inside(string recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        var full = Path.GetFullPath(recorded);
        var root = Directory.EndsWith(Path.DirectorySeparatorChar) ? Directory : Directory + Path.DirectorySeparatorChar;
        if (!full.StartsWith(root, StringComparison.Ordinal) || !full.EndsWith(".wav", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var info = new FileInfo(full);
        return info.Exists && info.LinkTarget is not null ? null : full;
    }
}
