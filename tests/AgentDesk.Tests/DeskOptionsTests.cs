namespace CallCenter.AgentDesk.Tests;

public sealed class DeskOptionsTests
{
    [Test]
    public void TheDefaultsAreValid()
    {
        var options = new DeskOptions();

        Assert.That((options.SessionMinutes, options.MaxFailedSignIns, options.LockoutMinutes), Is.EqualTo((480, 5, 15)));
        Assert.That(options.Validate(), Is.Empty);
    }

    [Test]
    public void EachValueOutOfRangeIsNamedByItsKey()
    {
        var options = new DeskOptions { SessionMinutes = 0, MaxFailedSignIns = 0, LockoutMinutes = 100_000 };

        var errors = options.Validate().ToList();

        Assert.That(errors, Has.Count.EqualTo(3));
        Assert.That(errors, Has.One.StartsWith("Desk:SessionMinutes"));
        Assert.That(errors, Has.One.StartsWith("Desk:MaxFailedSignIns"));
        Assert.That(errors, Has.One.StartsWith("Desk:LockoutMinutes"));
    }
}
