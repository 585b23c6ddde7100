using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CallCenter.FaxSms.Documents;

/// <summary>Says at start-up which font the documents are drawn in, and warns when Chinese cannot be drawn.</summary>
public sealed class DocumentFontNotice(DocumentPdf pdf, ILogger<DocumentFontNotice> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (pdf.DrawsChinese)
        {
            DocumentLog.FontInUse(logger, pdf.FontPath);
        }
        else
        {
            DocumentLog.NoChineseFont(logger, DocumentOptions.DefaultFont);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
