using System.Diagnostics;
using System.Globalization;
using CallCenter.FaxSms.Fax;
using CallCenter.Telephony.Codecs;
using CallCenter.Telephony.Media;

// N faxes at once, both ends in this process on the platform's MediaClock: each tick runs every
// sender and every receiver one 20 ms frame, their audio crossed through G.711 µ-law. Reports the
// clock's lateness (p50, p99, max) while the faxes run, and how many arrived whole. The second
// argument spreads the faxes' starts evenly over that many milliseconds (0: all in one tick, so
// every page of every fax ends, and is written to its TIFF file, in the same tick).
var faxes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50;
var spreadMs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 0;
var work = Directory.CreateTempSubdirectory("fax-bench-").FullName;
var document = Path.Combine(work, "two-pages.tif");
var ps = Path.Combine(work, "two-pages.ps");
File.WriteAllText(ps, "%!PS\n/Helvetica findfont 28 scalefont setfont\n72 700 moveto (Bench page one) show showpage\n72 700 moveto (Bench page two) show showpage\n");
using (var gs = Process.Start("gs", ["-q", "-dBATCH", "-dNOPAUSE", "-dSAFER", "-sDEVICE=tiffg4", "-r204x196", "-sPAPERSIZE=a4", "-sOutputFile=" + document, ps])!)
{
    gs.WaitForExit();
}

await using var clock = new MediaClock();
var pairs = Enumerable.Range(0, faxes).Select(i => new FaxPair(document, Path.Combine(work, $"r{i}.tif"))).ToArray();
clock.Start();
await Task.Delay(1000);
clock.ResetLateness();
var started = Stopwatch.GetTimestamp();
var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
for (var i = 0; i < pairs.Length; i++)
{
    if (spreadMs > 0 && i > 0)
    {
        await Task.Delay(TimeSpan.FromMilliseconds((double)spreadMs / pairs.Length));
    }

    clock.Add(pairs[i]);
}

while (pairs.Any(p => !p.Done) && Stopwatch.GetElapsedTime(started) < TimeSpan.FromMinutes(3))
{
    await Task.Delay(500);
}

var took = Stopwatch.GetElapsedTime(started);
var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
var p50 = clock.LatenessPercentile(0.50);
var p99 = clock.LatenessPercentile(0.99);
var max = clock.MaxLateness;
var whole = pairs.Count(p => p.Received is { Succeeded: true, Pages: 2 });
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"faxes={faxes} spread={spreadMs}ms sessions={faxes * 2} took={took.TotalSeconds:0.0}s whole={whole}/{faxes} clock p50={p50.TotalMilliseconds:0.0}ms p99={p99.TotalMilliseconds:0.0}ms max={max.TotalMilliseconds:0.0}ms skipped={clock.SkippedTicks} cpus={Environment.ProcessorCount} cpu={cpu.TotalSeconds:0.0}s ({100 * cpu.TotalSeconds / took.TotalSeconds / (faxes * 2):0.00}% of a core per session)"));
foreach (var pair in pairs)
{
    pair.Dispose();
}

Directory.Delete(work, recursive: true);

/// <summary>One fax: a sender and a receiver joined through G.711, both run by the clock's tick.</summary>
internal sealed class FaxPair(string send, string receive) : IMediaClockTarget, IDisposable
{
    private readonly FaxSession _sender = new(new FaxSessionOptions { Calling = true, SendFile = send });
    private readonly FaxSession _receiver = new(new FaxSessionOptions { Calling = false, ReceiveFile = receive });
    private readonly short[] _fromSender = new short[FaxSession.FrameSamples];
    private readonly short[] _fromReceiver = new short[FaxSession.FrameSamples];
    private readonly short[] _toSender = new short[FaxSession.FrameSamples];
    private readonly short[] _toReceiver = new short[FaxSession.FrameSamples];
    private readonly byte[] _wire = new byte[FaxSession.FrameSamples];

    public bool Done => _sender.Completed && _receiver.Completed;

    public FaxResult? Received => _receiver.Result;

    public void OnTick(long tick)
    {
        if (Done)
        {
            return;
        }

        _sender.Process(_toSender, _fromSender);
        _receiver.Process(_toReceiver, _fromReceiver);
        G711.Encode(_fromSender, _wire, G711Law.MuLaw);
        G711.Decode(_wire, _toReceiver, G711Law.MuLaw);
        G711.Encode(_fromReceiver, _wire, G711Law.MuLaw);
        G711.Decode(_wire, _toSender, G711Law.MuLaw);
    }

    public void Dispose()
    {
        _sender.Dispose();
        _receiver.Dispose();
    }
}
