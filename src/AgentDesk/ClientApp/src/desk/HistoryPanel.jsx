// The agent's own call records, newest first (the hub's history(limit), shaped as GET /api/calls), each with a
// dial button (click-to-dial: the agent's phone rings first, then the number).
import { t, tDisposition, tTier } from '../common/i18n.js';
import { dateTime, duration } from '../common/format.js';

/** An outbound call's list, attempt and outcome in a few words. */
function outbound(c) {
  const parts = [t('outbound')];
  if (c.list) parts.push(c.list);
  if (c.attempt) parts.push(`${t('previewAttempts')} ${c.attempt}`);
  if (c.outcome) parts.push(t(`outcome.${c.outcome}`));
  return parts.join(' · ');
}

export function HistoryPanel({ history, onRefresh, onDial }) {
  return (
    <section class="panel history">
      <div class="call-head">
        <h2>{t('history')}</h2>
        <button type="button" class="ghost small" onClick={onRefresh}>{t('refresh')}</button>
      </div>
      <div class="table-wrap">
        <table class="grid compact">
          <thead>
            <tr><th>{t('started')}</th><th>{t('caller')}</th><th>{t('tier')}</th><th>{t('wait')}</th><th>{t('talk')}</th><th>{t('disposition')}</th><th>{t('outboundAttempt')}</th><th>{t('wrapUpCode')}</th><th></th></tr>
          </thead>
          <tbody data-testid="history">
            {history.map((c) => (
              <tr>
                <td>{dateTime(c.startedAt)}</td>
                <td>{c.caller}</td>
                <td>{c.tier ? tTier(c.tier) : ''}</td>
                <td>{duration(c.waitSeconds)}</td>
                <td>{duration(c.talkSeconds)}</td>
                <td>{tDisposition(c.disposition)}</td>
                <td data-testid="history-outbound">{c.direction === 'outbound' ? outbound(c) : ''}</td>
                <td>{c.wrapUpCode ?? ''}</td>
                <td>{onDial && c.caller && <button type="button" class="ghost small" data-testid="history-dial" title={t('dialTitle')} onClick={() => onDial(c.caller)}>☎ {t('dial')}</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {history.length === 0 && <p class="muted small">{t('noHistory')}</p>}
    </section>
  );
}
