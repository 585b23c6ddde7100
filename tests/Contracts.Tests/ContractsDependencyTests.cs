using CallCenter.Contracts.Calls;

namespace CallCenter.Contracts.Tests;

/// <summary>Contracts is shared by the host and the rooms, so it may depend on the BCL only (design.md section 2).</summary>
public sealed class ContractsDependencyTests
{
    [Test]
    public void ContractsReferenceOnlyTheBaseClassLibrary()
    {
        var references = typeof(ICallControl).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "");

        Assert.That(references.Where(name => name is not ("System" or "netstandard") && !name.StartsWith("System.", StringComparison.Ordinal)), Is.Empty);
    }
}
