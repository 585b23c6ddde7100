// Client directory import: pick a CSV file, POST it as text/csv, show imported / updated and the rejected rows.
import { t } from '../common/i18n.js';
import { CsvUpload } from './CsvUpload.jsx';

export function ClientImport() {
  return <CsvUpload title={t('clientImport')} path="/api/admin/clients/import" prefix="import" />;
}
