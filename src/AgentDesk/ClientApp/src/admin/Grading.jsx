// Client grading: the month-end figures feed (CSV, as the counter system exports it), the quarterly
// reviews that were applied with the clients per tier before and after and the notices they queued,
// and one review's changes grouped by account manager (the list each manager is given).
import { useState } from 'preact/hooks';
import { api } from '../common/api.js';
import { t, tTier } from '../common/i18n.js';
import { Message, useAdminData } from './useAdminData.jsx';

function FiguresImport({ onImported }) {
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
      setReport(await api('POST', '/api/admin/clients/figures', await file.text(), 'text/csv'));
      onImported?.();
    } catch (error) {
      setReport(null);
      setMessage({ error: true, text: error.message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="panel">
      <h2>{t('figuresImport')}</h2>
      <p class="muted">{t('figuresHeader')} <code>phone,month,average_equity,fees,month_end_equity</code></p>
      <form class="row-form" onSubmit={upload}>
        <label class="wide">
          <span>{t('chooseFile')}</span>
          <input type="file" accept=".csv,text/csv" data-testid="figures-file" onChange={(e) => setFile(e.currentTarget.files[0] ?? null)} />
        </label>
        <div class="form-actions">
          <button type="submit" class="primary" data-testid="figures-upload" disabled={!file || busy}>{busy ? t('loading') : t('upload')}</button>
        </div>
      </form>
      <Message message={message} />
      {report && (
        <div data-testid="figures-report">
          <div class="tiles small">
            <div class="tile"><div class="tile-n" data-testid="figures-imported">{report.imported}</div><div class="tile-label">{t('imported')}</div></div>
            <div class={`tile ${report.rejected?.length ? 'bad' : ''}`}><div class="tile-n">{report.rejected?.length ?? 0}</div><div class="tile-label">{t('rejected')}</div></div>
          </div>
          {report.rejected?.length > 0 && (
            <table class="grid">
              <thead><tr><th class="num">{t('line')}</th><th>{t('reason')}</th></tr></thead>
              <tbody>{report.rejected.map((r) => <tr><td class="num">{r.line}</td><td>{r.reason}</td></tr>)}</tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}

function counts(map) {
  if (!map) return '—';
  const entries = Object.entries(map);
  return entries.length === 0 ? '—' : entries.map(([tier, n]) => `${tTier(tier)} ${n}`).join(' · ');
}

function ReviewDetail({ quarter }) {
  const { rows: review, message } = useAdminData(`/api/tier-reviews/${encodeURIComponent(quarter)}`);
  if (message) return <Message message={message} />;
  if (!review) return <p class="muted">{t('loading')}</p>;
  if (review.managers.length === 0) return <p class="muted">{t('noTierChanges')}</p>;
  return (
    <div data-testid="review-managers">
      {review.managers.map((m) => (
        <div class="manager-list">
          <h3>{m.name ?? t('noManager')}{m.extension ? ` (${m.extension})` : ''}{m.phone ? ` ${m.phone}` : ''}</h3>
          <table class="grid">
            <thead><tr><th>{t('phone')}</th><th>{t('name')}</th><th>{t('oldTier')}</th><th>{t('newTier')}</th><th>{t('reason')}</th></tr></thead>
            <tbody>
              {m.clients.map((c) => <tr><td>{c.phone}</td><td>{c.name ?? '—'}</td><td>{tTier(c.oldTier)}</td><td>{tTier(c.newTier)}</td><td>{c.reason}</td></tr>)}
            </tbody>
          </table>
        </div>
      ))}
    </div>
  );
}

export function Grading() {
  const { rows, reload, message } = useAdminData('/api/tier-reviews?limit=20');
  const [open, setOpen] = useState(null);
  return (
    <>
      <FiguresImport onImported={reload} />
      <section class="panel">
        <h2>{t('tierReviews')}</h2>
        <Message message={message} />
        {rows && rows.length === 0 && <p class="muted">{t('empty')}</p>}
        {rows && rows.length > 0 && (
          <table class="grid" data-testid="tier-reviews">
            <thead>
              <tr><th>{t('quarter')}</th><th>{t('reviewedAt')}</th><th class="num">{t('clientsGraded')}</th><th class="num">{t('tierChanges')}</th><th class="num">{t('noticesQueued')}</th><th>{t('tiersBefore')}</th><th>{t('tiersAfter')}</th><th /></tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>{r.quarter}</td>
                  <td>{new Date(r.reviewedAt).toLocaleString()}</td>
                  <td class="num">{r.clients}</td>
                  <td class="num">{r.changes}</td>
                  <td class="num">{r.notices}</td>
                  <td>{counts(r.tiersBefore)}</td>
                  <td>{counts(r.tiersAfter)}</td>
                  <td><button type="button" onClick={() => setOpen(open === r.quarter ? null : r.quarter)} disabled={r.changes === 0}>{t('managerLists')}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {open && <ReviewDetail quarter={open} />}
      </section>
    </>
  );
}
