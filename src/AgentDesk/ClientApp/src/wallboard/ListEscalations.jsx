// Call list entries escalated to the supervisors (deadline near or past, client not reached): pushed
// live by the hub (listEscalated) and carried in every view (listEscalations), newest first.
import { t } from '../common/i18n.js';
import { clock, dateTime } from '../common/format.js';

export function ListEscalations({ escalations }) {
  return (
    <section class="panel list-escalations" data-testid="list-escalations">
      <h2>{t('listEscalations')}</h2>
      {escalations.length === 0 && <p class="muted small">{t('noListEscalations')}</p>}
      {escalations.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>{t('escalatedAt')}</th>
              <th>{t('previewList')}</th>
              <th>{t('client')}</th>
              <th>{t('previewDue')}</th>
              <th>{t('previewAttempts')}</th>
            </tr>
          </thead>
          <tbody>
            {escalations.map((e) => (
              <tr key={e.entryId} data-testid="list-escalation" class={new Date(e.dueBy) < new Date() ? 'overdue' : ''}>
                <td>{clock(e.escalatedAt)}</td>
                <td>{e.listName} ({t(`listKind.${e.kind}`)})</td>
                <td>{e.clientName ? `${e.clientName} · ${e.number}` : e.number}</td>
                <td>{dateTime(e.dueBy)}</td>
                <td>{e.attempts}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
