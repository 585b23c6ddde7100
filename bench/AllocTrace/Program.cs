using System.Globalization;
using Microsoft.Diagnostics.Tracing.Etlx;

// Where a run's allocations go: the runtime's AllocationTick events (one each time about 100 KB has been allocated,
// naming the type and stack of the allocation that crossed the line) summed by type and by the first frames of the
// stack. Usage: CallCenter.Bench.AllocTrace <file.nettrace> [calls per second while traced] [frames, default 4]
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: CallCenter.Bench.AllocTrace <file.nettrace> [calls per second] [frames]");
    return 2;
}

var callsPerSecond = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 0;
var frames = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 4;
var byType = new Dictionary<string, long>(StringComparer.Ordinal);
var byStack = new Dictionary<string, long>(StringComparer.Ordinal);
long total = 0;
double seconds;
using (var log = new TraceLog(TraceLog.CreateFromEventPipeDataFile(args[0])))
{
    var source = log.Events.GetSource();
    source.Clr.GCAllocationTick += e =>
    {
        var amount = e.AllocationAmount64;
        total += amount;
        byType[e.TypeName] = byType.GetValueOrDefault(e.TypeName) + amount;
        var names = new List<string>();
        for (var frame = e.CallStack(); frame is not null && names.Count < frames; frame = frame.Caller)
        {
            if (frame.CodeAddress.FullMethodName is { Length: > 0 } name)
            {
                names.Add(name.Length > 120 ? name[..120] : name);
            }
        }

        var key = e.TypeName + "  <=  " + string.Join("  <  ", names);
        byStack[key] = byStack.GetValueOrDefault(key) + amount;
    };
    source.Process();
    seconds = log.SessionDuration.TotalSeconds;
}

var calls = callsPerSecond * seconds;
var perCall = calls > 0 ? string.Create(CultureInfo.InvariantCulture, $", {total / 1024.0 / calls:F1} KB per call ({callsPerSecond:F0} calls/s over the trace's {seconds:F1} s)") : "";
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sampled allocations: {total / 1e6:F1} MB{perCall}"));
Console.WriteLine("by type:");
foreach (var (type, bytes) in byType.OrderByDescending(p => p.Value).Take(25))
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{100.0 * bytes / total,6:F1} %  {type}"));
}

Console.WriteLine("by type and stack:");
foreach (var (stack, bytes) in byStack.OrderByDescending(p => p.Value).Take(25))
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{100.0 * bytes / total,6:F1} %  {stack}"));
}

return 0;
