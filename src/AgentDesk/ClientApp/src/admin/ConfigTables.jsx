// The queues and the tiers with their thresholds as configured: read-only, set in config/callcenter.json.
// The tables take whatever fields the API gives, so a new setting shows without a front-end change.
import { t } from '../common/i18n.js';
import { useAdminData, Message } from './useAdminData.jsx';

function cell(value) {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ');
  if (typeof value === 'object') return Object.entries(value).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`).join(' · ');
  if (typeof value === 'boolean') return value ? '✔' : '✖';
  if (typeof value === 'number') return value.toLocaleString();
  return String(value);
}

function AnyTable({ data, testid }) {
  if (data === null) return <p class="muted">{t('loading')}</p>;
  const rows = Array.isArray(data) ? data : Object.entries(data ?? {}).map(([key, value]) => (typeof value === 'object' && value && !Array.isArray(value) ? { key, ...value } : { key, value }));
  if (rows.length === 0) return <p class="muted">{t('empty')}</p>;
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return (
    <table class="grid" data-testid={testid}>
      <thead><tr>{columns.map((c) => <th>{c}</th>)}</tr></thead>
      <tbody>{rows.map((r) => <tr>{columns.map((c) => <td>{cell(r[c])}</td>)}</tr>)}</tbody>
    </table>
  );
}

export function ConfigTables() {
  const queues = useAdminData('/api/admin/queues');
  const tiers = useAdminData('/api/admin/tiers');
  return (
    <>
      <p class="banner note" data-testid="config-note">{t('configNote')}</p>
      <section class="panel">
        <h2>{t('queuesConfig')}</h2>
        <Message message={queues.message} />
        <AnyTable data={queues.rows} testid="admin-queues" />
      </section>
      <section class="panel">
        <h2>{t('tiersConfig')}</h2>
        <Message message={tiers.message} />
        <AnyTable data={tiers.rows} testid="admin-tiers" />
      </section>
    </>
  );
}
