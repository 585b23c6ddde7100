using System.Diagnostics;
using System.Globalization;
using CallCenter.ResourceControl.Routing;

// Routing decisions against a standing load of 10,000 waiting calls and 1,000 agents (issue target: p99 <= 1 ms).
// Each round: one busy agent becomes available and takes a call (agent -> call), then a new call arrives and
// finds the agent that just became free again (call -> agent); the standing load stays constant.
const int WaitingCalls = 10_000;
const int Agents = 1_000;
const int Warmup = 5_000;
const int Samples = 50_000;

var random = new Random(42);
string[] tiers = ["Diamond", "Platinum", "Gold", "Quality", "Effective", "Dormant"];
string[] languages = ["zh", "en"];
string[] products = ["stocks", "futures"];
var options = new RoutingOptions();
options.Queues["main"] = new QueueOptions();
options.Queues["vip"] = new QueueOptions { Strategy = nameof(RoutingStrategy.FewestCalls) };
options.Queues["complaints"] = new QueueOptions { Skills = ["complaints"], Strategy = nameof(RoutingStrategy.RoundRobin) };
var router = new AcdRouter(options);
var start = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
var now = start;
long callNumber = 0;

WaitingCall NewCall(DateTimeOffset at)
{
    var tier = random.Next(3) == 0 ? tiers[random.Next(tiers.Length)] : null;
    var queue = random.Next(10) switch { 0 => "complaints", < 3 => "vip", _ => "main" };
    string? manager = random.Next(20) == 0 ? (1000 + random.Next(Agents)).ToString(CultureInfo.InvariantCulture) : null;
    return new WaitingCall(
        $"c{callNumber++}", queue, tier, languages[random.Next(2)], [products[random.Next(2)]],
        at.AddSeconds(-random.Next(0, 600)), manager, random.Next(3));
}

// Agents: every one speaks zh, half also en; each knows one or both products; a tenth take complaints. All busy.
var extensions = new string[Agents];
for (var i = 0; i < Agents; i++)
{
    extensions[i] = (1000 + i).ToString(CultureInfo.InvariantCulture);
    var skills = new List<string> { "zh" };
    if (i % 2 == 0)
    {
        skills.Add("en");
    }

    skills.Add(products[i % 2]);
    if (i % 3 == 0)
    {
        skills.Add(products[(i + 1) % 2]);
    }

    if (i % 10 == 0)
    {
        skills.Add("complaints");
    }

    router.LogIn(extensions[i], skills, callsHandledToday: random.Next(40));
}

// Standing load: with every agent busy, all calls wait (managers are busy too, so their calls are held 30 s).
while (router.WaitingCount < WaitingCalls)
{
    router.Enqueue(NewCall(now), now);
}

// Phase A, agent -> call: all agents busy, 10,000 waiting. A random busy agent becomes available and takes the best
// call it may take (measured); a new call arrives and queues (measured: with every agent busy this is the enqueue
// decision "no agent, wait or hold"), which keeps the standing load at 10,000.
var agentToCall = new List<double>(Samples);
var callQueues = new List<double>(Samples);
var ticks = 0;
var idleAgents = 0;
for (var round = 0; round < Warmup + Samples; round++)
{
    now = now.AddMilliseconds(100);
    if (router.NextDueAt is { } due && due <= now)
    {
        ticks += router.Tick(now).Assignments.Count;
    }

    var extension = extensions[random.Next(Agents)];
    var t0 = Stopwatch.GetTimestamp();
    var taken = router.AgentAvailable(extension, now);
    var t1 = Stopwatch.GetTimestamp();
    if (taken is null)
    {
        // Skill segments that few agents serve fill up while others drain; this agent found nothing it may take.
        idleAgents++;
        router.AgentUnavailable(extension);
    }

    if (round >= Warmup)
    {
        agentToCall.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMicroseconds);
    }

    while (router.WaitingCount < WaitingCalls)
    {
        var call = NewCall(now);
        var t2 = Stopwatch.GetTimestamp();
        router.Enqueue(call, now);
        var t3 = Stopwatch.GetTimestamp();
        if (round >= Warmup)
        {
            callQueues.Add(Stopwatch.GetElapsedTime(t2, t3).TotalMicroseconds);
        }
    }
}

var waitingInPhaseA = router.WaitingCount;

// Phase B, call -> agent: 10,000 calls still wait, but for a skill ("fax") no agent has, and every agent is
// available; a call arrives and picks an agent by its queue's strategy (measured), then the agent is free again.
var backlog = new AcdRouter(options);
for (var i = 0; i < WaitingCalls; i++)
{
    var call = NewCall(now);
    backlog.Enqueue(call with { RequiredSkills = ["fax"], AccountManager = null }, now);
}

for (var i = 0; i < Agents; i++)
{
    backlog.LogIn(extensions[i], router.GetAgent(extensions[i])!.Skills, callsHandledToday: random.Next(40));
    backlog.AgentAvailable(extensions[i], now.AddSeconds(-random.Next(600)));
}

var callToAgent = new List<double>(Samples);
var noAgent = 0;
for (var round = 0; round < Warmup + Samples; round++)
{
    now = now.AddMilliseconds(100);
    var call = NewCall(now) with { AccountManager = null };
    var t0 = Stopwatch.GetTimestamp();
    var outcome = backlog.Enqueue(call, now);
    var t1 = Stopwatch.GetTimestamp();
    if (outcome.Assignment is { } assignment)
    {
        backlog.AgentAvailable(assignment.Agent, now);
    }
    else
    {
        noAgent++;
        backlog.Remove(call.Id);
    }

    if (round >= Warmup)
    {
        callToAgent.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMicroseconds);
    }
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"machine: {Environment.ProcessorCount} logical processors, {Environment.OSVersion}, .NET {Environment.Version}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Agents} agents; {agentToCall.Count} samples per decision after {Warmup} warm-up rounds"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"phase A: {waitingInPhaseA} waiting at the end, all agents busy"));
Report("  agent available -> call", agentToCall);
Report("  call arrives -> queued ", callQueues);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"phase B: {backlog.WaitingCount} waiting (skill no agent has), agents available"));
Report("  call arrives -> agent  ", callToAgent);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"(calls given on hold expiry: {ticks}; agents that found no call in phase A: {idleAgents}; arrivals that found no agent in phase B: {noAgent})"));

static void Report(string name, List<double> samples)
{
    samples.Sort();
    double At(double q) => samples[Math.Min(samples.Count - 1, (int)(q * samples.Count))];
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"{name}: median {At(0.5):0.0} us, p99 {At(0.99):0.0} us, p99.9 {At(0.999):0.0} us, max {samples[^1]:0.0} us"));
}
