using CallCenter.Ivr.Flows;

namespace CallCenter.Ivr.Tests.Flows;

/// <summary>
/// Plays the host for a session: keeps the playing prompt and the running timer from the
/// actions, and feeds keys, playback ends and timer expiries back, with a clock that moves.
/// </summary>
internal sealed class SessionDriver
{
    public SessionDriver(IvrFlowSet flows, string flowId, IvrCallContext? context = null)
    {
        Session = new IvrSession(flows, flowId, context ?? new IvrCallContext("13900000000", flowId));
    }

    public IvrSession Session { get; }

    public DateTimeOffset Now { get; private set; } = new(2026, 11, 22, 9, 30, 0, TimeSpan.FromHours(8));

    public IvrAction.Play? Playing { get; private set; }

    public IvrAction.StartTimer? Timer { get; private set; }

    /// <summary>The actions of the last call.</summary>
    public IReadOnlyList<IvrAction> Last { get; private set; } = [];

    /// <summary>Every action so far.</summary>
    public List<IvrAction> All { get; } = [];

    /// <summary>The names of the prompts playing now.</summary>
    public IReadOnlyList<string> PlayingNames => Playing?.Prompts.Select(p => p.Name).ToList() ?? [];

    public IReadOnlyList<IvrAction> Start() => Apply(Session.Start(Now));

    public IReadOnlyList<IvrAction> Press(char key) => Send(new IvrEvent.Digit(key));

    public IReadOnlyList<IvrAction> Press(string keys)
    {
        var actions = new List<IvrAction>();
        foreach (var key in keys)
        {
            actions.AddRange(Press(key));
        }

        return actions;
    }

    public IReadOnlyList<IvrAction> FinishPlayback()
    {
        Assert.That(Playing, Is.Not.Null, "nothing is playing");
        var id = Playing!.PlaybackId;
        Playing = null;
        return Send(new IvrEvent.PlaybackFinished(id));
    }

    public IReadOnlyList<IvrAction> FireTimer()
    {
        Assert.That(Timer, Is.Not.Null, "no timer is running");
        var timer = Timer!;
        Timer = null;
        Now += timer.After;
        return Send(new IvrEvent.TimerFired(timer.TimerId));
    }

    public IReadOnlyList<IvrAction> Send(IvrEvent e)
    {
        Now += TimeSpan.FromMilliseconds(200);
        return Apply(Session.Handle(e, Now));
    }

    private IReadOnlyList<IvrAction> Apply(IReadOnlyList<IvrAction> actions)
    {
        foreach (var action in actions)
        {
            switch (action)
            {
                case IvrAction.Play play:
                    Playing = play;
                    break;
                case IvrAction.StopPlayback stop when stop.PlaybackId == Playing?.PlaybackId:
                    Playing = null;
                    break;
                case IvrAction.StartTimer timer:
                    Timer = timer;
                    break;
                case IvrAction.CancelTimer cancel when cancel.TimerId == Timer?.TimerId:
                    Timer = null;
                    break;
            }
        }

        Last = actions;
        All.AddRange(actions);
        return actions;
    }
}
