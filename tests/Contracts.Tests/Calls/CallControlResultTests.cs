using CallCenter.Contracts.Calls;

namespace CallCenter.Contracts.Tests.Calls;

public sealed class CallControlResultTests
{
    [Test]
    public void AResultIsDoneOnlyWhenItsErrorIsNone()
    {
        var done = Enum.GetValues<CallControlError>().Where(e => new CallControlResult(e, "message").Done);

        Assert.That(done, Is.EqualTo(new[] { CallControlError.None }));
    }
}
