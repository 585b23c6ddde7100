using System.Globalization;

namespace CallCenter.FaxSms.Fax;

/// <summary>
/// What a rendering (ghostscript on a client's PDF, tiff2pdf on a received fax) may use: the wall clock
/// (<c>Fax:RenderTimeoutSeconds</c>; then the process tree is killed), CPU seconds (<c>Fax:RenderCpuSeconds</c>,
/// RLIMIT_CPU), address space (<c>Fax:RenderMemoryMb</c>, RLIMIT_AS), the largest file it may write
/// (<c>Fax:RenderMaxOutputMb</c>, RLIMIT_FSIZE) and <see cref="OpenFiles"/> open files (RLIMIT_NOFILE).
/// The kernel enforces all but the first, through util-linux's <c>prlimit</c> (<see cref="PrlimitArguments"/>),
/// which sets them and then runs the tool in its place: a PDF that draws without end or asks for
/// gigabytes is stopped by the kernel, not by the platform running out of CPU or memory.
/// </summary>
public sealed record FaxRenderLimits(TimeSpan Timeout, int CpuSeconds, long MemoryBytes, long MaxOutputBytes)
{
    /// <summary>Below this ghostscript cannot even load its libraries (measured: 56 MiB renders a page, 52 does not).</summary>
    public const int MinMemoryMb = 64;

    /// <summary>Files a rendering may have open (the document, its output, fonts, libraries while they load).</summary>
    public const int OpenFiles = 64;

    /// <summary>The defaults of <see cref="FaxOptions"/>.</summary>
    public static FaxRenderLimits Default { get; } = new FaxOptions().ToRenderLimits();

    /// <summary>
    /// <c>prlimit</c>'s arguments before the tool (pure, for the tests): the CPU limit is soft at <see cref="CpuSeconds"/>
    /// (SIGXCPU) and hard one second later (SIGKILL, for a tool that ignores the first); no core file is written.
    /// </summary>
    public IReadOnlyList<string> PrlimitArguments() =>
    [
        string.Create(CultureInfo.InvariantCulture, $"--cpu={CpuSeconds}:{CpuSeconds + 1}"),
        string.Create(CultureInfo.InvariantCulture, $"--as={MemoryBytes}"),
        string.Create(CultureInfo.InvariantCulture, $"--fsize={MaxOutputBytes}"),
        string.Create(CultureInfo.InvariantCulture, $"--nofile={OpenFiles}"),
        "--core=0",
        "--",
    ];

    /// <summary>
    /// Why a tool that exited with <paramref name="exitCode"/> and said <paramref name="said"/> stopped, when a limit
    /// stopped it (the key to raise named); null when it is the document's own error. A process ended by a signal
    /// exits 128 + the signal's number.
    /// </summary>
    public string? Hit(string tool, int exitCode, string said)
    {
        ArgumentNullException.ThrowIfNull(said);
        return exitCode switch
        {
            128 + 24 => $"{tool} used more than {CpuSeconds} s of CPU on the document (Fax:RenderCpuSeconds) and was stopped.",
            128 + 25 => $"{tool}'s output grew past {MaxOutputBytes / 1024} KiB (Fax:RenderMaxOutputMb) and it was stopped.",
            128 + 9 => $"{tool} was killed: over its CPU limit ({CpuSeconds} s, Fax:RenderCpuSeconds) or out of memory.",
            _ when said.Contains("VMerror", StringComparison.Ordinal)
                || said.Contains("failed to map segment", StringComparison.Ordinal)
                || said.Contains("Cannot allocate memory", StringComparison.OrdinalIgnoreCase)
                || said.Contains("out of memory", StringComparison.OrdinalIgnoreCase)
                => $"{tool} needed more memory than the {MemoryBytes / (1024 * 1024)} MiB allowed (Fax:RenderMemoryMb).",
            > 128 and < 128 + 65 => $"{tool} crashed on the document (signal {exitCode - 128}).",
            _ => null,
        };
    }
}
