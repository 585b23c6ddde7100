namespace CallCenter.AgentDesk.Recordings;

/// <summary>Why a recording was not served, or that it may be (with the file, opened and checked).</summary>
internal enum RecordingRefusal
{
    None,

    /// <summary>No call has this id (or the id is not one the platform makes).</summary>
    UnknownCall,

    /// <summary>The call was not recorded (it never reached an agent, or the disk failed).</summary>
    NotRecorded,

    /// <summary>The retention job deleted the file.</summary>
    Deleted,

    /// <summary>The file's SHA-256 no longer matches the one written with the record (now or earlier).</summary>
    Changed,

    /// <summary>The file is gone, though nothing deleted it.</summary>
    Missing,

    /// <summary>The record's path points outside the recordings directory (or at a link).</summary>
    Outside,
}

/// <summary>The outcome of <see cref="RecordingLibrary.OpenAsync"/>: a refusal, or a checked file positioned at its start.</summary>
internal sealed record RecordingCheck(RecordingRefusal Refusal, string Detail, FileStream? File = null, string? Sha256 = null)
{
    public bool Served => Refusal == RecordingRefusal.None;
}
