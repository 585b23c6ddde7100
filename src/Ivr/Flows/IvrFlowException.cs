namespace CallCenter.Ivr.Flows;

/// <summary>An invalid flow file; the message names the file, the node and the problem.</summary>
public sealed class IvrFlowException : Exception
{
    public IvrFlowException()
    {
    }

    public IvrFlowException(string message)
        : base(message)
    {
    }

    public IvrFlowException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
