// One CSV upload panel of the admin pages: pick a file, POST it as text/csv to `path`, and show what the
// server answered: `imported` (and `updated` when it counts them) and the rejected rows with line and reason.
// Test hooks are `${prefix}-file`, `-upload`, `-report`, `-imported`, `-updated`, `-rejected-count`, `-rejected`.
import { useState } from 'preact/hooks';
import { api } from '../common/api.js';
import { t } from '../common/i18n.js';
import { Message } from './useAdminData.jsx';

export function CsvUpload({ title, path, prefix, note, onUploaded }) {
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
      setReport(await api('POST', path, await file.text(), 'text/csv'));
      onUploaded?.();
    } catch (error) {
      setReport(null);
      setMessage({ error: true, text: error.message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="panel">
      <h2>{title}</h2>
      {note}
      <form class="row-form" onSubmit={upload}>
        <label class="wide">
          <span>{t('chooseFile')}</span>
          <input type="file" accept=".csv,text/csv" data-testid={`${prefix}-file`} onChange={(e) => setFile(e.currentTarget.files[0] ?? null)} />
        </label>
        <div class="form-actions">
          <button type="submit" class="primary" data-testid={`${prefix}-upload`} disabled={!file || busy}>{busy ? t('loading') : t('upload')}</button>
        </div>
      </form>
      <Message message={message} />
      {report && (
        <div data-testid={`${prefix}-report`}>
          <div class="tiles small">
            <div class="tile"><div class="tile-n" data-testid={`${prefix}-imported`}>{report.imported}</div><div class="tile-label">{t('imported')}</div></div>
            {report.updated !== undefined && (
              <div class="tile"><div class="tile-n" data-testid={`${prefix}-updated`}>{report.updated}</div><div class="tile-label">{t('updated_')}</div></div>
            )}
            <div class={`tile ${report.rejected?.length ? 'bad' : ''}`}><div class="tile-n" data-testid={`${prefix}-rejected-count`}>{report.rejected?.length ?? 0}</div><div class="tile-label">{t('rejected')}</div></div>
          </div>
          {report.rejected?.length > 0 && (
            <table class="grid">
              <thead><tr><th class="num">{t('line')}</th><th>{t('reason')}</th></tr></thead>
              <tbody data-testid={`${prefix}-rejected`}>
                {report.rejected.map((r) => <tr><td class="num">{r.line}</td><td>{r.reason}</td></tr>)}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
