namespace CallCenter.FaxSms.Fax;

/// <summary>A document that cannot be faxed (missing, empty, not a TIFF, or not renderable), with the reason.</summary>
public sealed class FaxDocumentException : Exception
{
    public FaxDocumentException()
    {
    }

    public FaxDocumentException(string message)
        : base(message)
    {
    }

    public FaxDocumentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
