// Client grading: the month-end figures feed (CSV, as the counter system exports it), the quarterly
// reviews that were applied with the clients per tier before and after and the notices they queued,
// and one review's changes grouped by account manager (the list each manager is given).
import { useState } from 'preact/hooks';
import { t, tTier } from '../common/i18n.js';
import { CsvUpload } from './CsvUpload.jsx';
import { Message, useAdminData } from './useAdminData.jsx';

function FiguresImport({ onImported }) {
  const note = <p class="muted">{t('figuresHeader')} <code>phone,month,average_equity,fees,month_end_equity</code></p>;
  return <CsvUpload title={t('figuresImport')} path="/api/admin/clients/figures" prefix="figures" note={note} onUploaded={onImported} />;
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
