// Callbacks still owed, per queue: due now (waiting in the queue for an agent), later (scheduled, or waiting for a
// retry or the end of the quiet hours), being dialled, and overdue (waiting more than Callbacks:OverdueMinutes past
// their time). The server reads them from memory every second, so the panel moves as callbacks are booked,
// cancelled and called.
import { t, tQueue } from '../common/i18n.js';

export function CallbackCounts({ callbacks }) {
  const sum = (key) => callbacks.reduce((n, c) => n + c[key], 0);
  const overdue = sum('overdue');
  return (
    <section class="panel callback-counts" data-testid="callback-counts">
      <h2>{t('wallboardCallbacks')}</h2>
      <p>
        {t('callbacksDueNow')} <strong data-testid="callbacks-due-now">{sum('dueNow')}</strong>
        {' · '}
        {t('callbacksLater')} <strong data-testid="callbacks-later">{sum('later')}</strong>
        {' · '}
        {t('callbacksCalling')} <strong data-testid="callbacks-calling">{sum('calling')}</strong>
        {' · '}
        {t('callbacksOverdue')} <strong data-testid="callbacks-overdue" class={overdue > 0 ? 'alarm' : ''}>{overdue}</strong>
      </p>
      {callbacks.length === 0
        ? <p class="muted small">{t('noCallbacksOwed')}</p>
        : (
          <table class="grid compact">
            <thead>
              <tr>
                <th>{t('callbacksQueue')}</th>
                <th class="num">{t('callbacksDueNow')}</th>
                <th class="num">{t('callbacksLater')}</th>
                <th class="num">{t('callbacksCalling')}</th>
                <th class="num">{t('callbacksOverdue')}</th>
              </tr>
            </thead>
            <tbody>
              {callbacks.map((c) => (
                <tr data-testid={`callbacks-${c.queue}`} class={c.overdue > 0 ? 'overdue' : ''}>
                  <td>{tQueue(c.queue)}</td>
                  <td class="num" data-testid={`callbacks-${c.queue}-due-now`}>{c.dueNow}</td>
                  <td class="num" data-testid={`callbacks-${c.queue}-later`}>{c.later}</td>
                  <td class="num">{c.calling}</td>
                  <td class="num" data-testid={`callbacks-${c.queue}-overdue`}>{c.overdue}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
    </section>
  );
}
