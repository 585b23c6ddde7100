// Call lists with entries still owed (compliance lists have deadlines): open, due (the deadline is near,
// within the escalation lead) and overdue, per list and in total; counted by the server every few seconds.
import { t } from '../common/i18n.js';

export function ListDeadlines({ lists }) {
  const due = lists.reduce((n, l) => n + l.due, 0);
  const overdue = lists.reduce((n, l) => n + l.overdue, 0);
  return (
    <section class="panel list-deadlines" data-testid="list-deadlines">
      <h2>{t('listDeadlines')}</h2>
      <p>
        {t('listDue')} <strong data-testid="lists-due">{due}</strong>
        {' · '}
        {t('listOverdue')} <strong data-testid="lists-overdue" class={overdue > 0 ? 'alarm' : ''}>{overdue}</strong>
      </p>
      {lists.length === 0
        ? <p class="muted small">{t('noListsOpen')}</p>
        : (
          <table class="grid compact">
            <thead>
              <tr><th>{t('previewList')}</th><th class="num">{t('listOpen')}</th><th class="num">{t('listDue')}</th><th class="num">{t('listOverdue')}</th></tr>
            </thead>
            <tbody>
              {lists.map((l) => (
                <tr data-testid={`list-${l.listId}`} class={l.overdue > 0 ? 'overdue' : ''}>
                  <td>{l.name} ({t(`listKind.${l.kind}`)})</td>
                  <td class="num">{l.open}</td>
                  <td class="num" data-testid={`list-${l.listId}-due`}>{l.due}</td>
                  <td class="num" data-testid={`list-${l.listId}-overdue`}>{l.overdue}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
    </section>
  );
}
