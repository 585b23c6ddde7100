// Received faxes still to handle (supervisors' tasks): how many, how long the oldest has waited (ticking between
// views), and the way to the faxes page, where they are viewed and marked handled. The server reads them with the
// other figures every few seconds; the panel is left out when the platform has no fax room (faxTasks null).
import { t } from '../common/i18n.js';
import { duration, useNow } from '../common/format.js';

export function FaxTasks({ faxTasks, at, receivedAt }) {
  const now = useNow(1000);
  if (!faxTasks) return null;
  const age = faxTasks.new > 0 && faxTasks.oldestAt
    ? (new Date(at).getTime() - new Date(faxTasks.oldestAt).getTime() + (now - receivedAt)) / 1000
    : null;
  return (
    <section class="panel fax-tasks" data-testid="fax-tasks">
      <h2>{t('wbFaxes')}</h2>
      <p>
        {t('wbFaxesNew')} <strong data-testid="fax-tasks-new" class={faxTasks.new > 0 ? 'alarm' : ''}>{faxTasks.new}</strong>
        {age !== null && (
          <>
            {' · '}
            {t('wbFaxesOldest')} <strong data-testid="fax-tasks-oldest">{duration(age)}</strong>
          </>
        )}
        {' · '}
        <a href="/desk/faxes" data-testid="fax-tasks-link">{t('wbFaxesOpen')}</a>
      </p>
      {faxTasks.new === 0 && <p class="muted small">{t('wbFaxesNone')}</p>}
    </section>
  );
}
