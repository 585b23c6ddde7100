// Client directory import: pick a CSV file, POST it as text/csv, show imported / updated and the rejected rows.
import { useState } from 'preact/hooks';
import { api } from '../common/api.js';
import { t } from '../common/i18n.js';
import { Message } from './useAdminData.jsx';

export function ClientImport() {
  const [file, setFile] = useState(null);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState(null);
  const [message, setMessage] = useState(null);
  const upload = async (e) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setMessage(null);
    try {
      setReport(await api('POST', '/api/admin/clients/import', await file.text(), 'text/csv'));
    } catch (error) {
      setReport(null);
      setMessage({ error: true, text: error.message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="panel">
      <h2>{t('clientImport')}</h2>
      <form class="row-form" onSubmit={upload}>
        <label class="wide">
          <span>{t('chooseFile')}</span>
          <input type="file" accept=".csv,text/csv" data-testid="import-file" onChange={(e) => setFile(e.currentTarget.files[0] ?? null)} />
        </label>
        <div class="form-actions">
          <button type="submit" class="primary" data-testid="import-upload" disabled={!file || busy}>{busy ? t('loading') : t('upload')}</button>
        </div>
      </form>
      <Message message={message} />
      {report && (
        <div data-testid="import-report">
          <div class="tiles small">
            <div class="tile"><div class="tile-n" data-testid="import-imported">{report.imported}</div><div class="tile-label">{t('imported')}</div></div>
            <div class="tile"><div class="tile-n" data-testid="import-updated">{report.updated}</div><div class="tile-label">{t('updated_')}</div></div>
            <div class={`tile ${report.rejected?.length ? 'bad' : ''}`}><div class="tile-n" data-testid="import-rejected-count">{report.rejected?.length ?? 0}</div><div class="tile-label">{t('rejected')}</div></div>
          </div>
          {report.rejected?.length > 0 && (
            <table class="grid">
              <thead><tr><th class="num">{t('line')}</th><th>{t('reason')}</th></tr></thead>
              <tbody data-testid="import-rejected">
                {report.rejected.map((r) => <tr><td class="num">{r.line}</td><td>{r.reason}</td></tr>)}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
