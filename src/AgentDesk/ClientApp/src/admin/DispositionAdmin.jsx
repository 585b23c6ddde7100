// Disposition codes for wrap-up: edit in place, add, deactivate (codes are never deleted: old calls keep theirs).
// PUT /api/admin/disposition-codes/{code} {labelZh, labelEn, active, sortOrder}.
import { useState } from 'preact/hooks';
import { t } from '../common/i18n.js';
import { Message, useAdminData } from './useAdminData.jsx';

const url = (code) => `/api/admin/disposition-codes/${encodeURIComponent(code)}`;

function CodeForm({ initial, isNew, onSave, onCancel }) {
  const [code, setCode] = useState(initial.code ?? '');
  const [labelZh, setLabelZh] = useState(initial.labelZh ?? '');
  const [labelEn, setLabelEn] = useState(initial.labelEn ?? '');
  const [sortOrder, setSortOrder] = useState(String(initial.sortOrder ?? 100));
  const [active, setActive] = useState(initial.active ?? true);
  const submit = (e) => {
    e.preventDefault();
    onSave(code.trim(), { labelZh: labelZh.trim(), labelEn: labelEn.trim(), active, sortOrder: Number(sortOrder) || 0 });
  };
  return (
    <form class="row-form" onSubmit={submit} data-testid={isNew ? 'code-add-form' : `code-edit-${initial.code}`}>
      <label><span>{t('code')}</span><input value={code} onInput={(e) => setCode(e.currentTarget.value)} disabled={!isNew} required maxLength={32} pattern="[A-Za-z0-9_.\-]+" data-testid="admin-code" /></label>
      <label><span>{t('labelZh')}</span><input value={labelZh} onInput={(e) => setLabelZh(e.currentTarget.value)} required maxLength={64} data-testid="admin-code-zh" /></label>
      <label><span>{t('labelEn')}</span><input value={labelEn} onInput={(e) => setLabelEn(e.currentTarget.value)} required maxLength={64} data-testid="admin-code-en" /></label>
      <label class="narrow"><span>{t('sortOrder')}</span><input type="number" value={sortOrder} onInput={(e) => setSortOrder(e.currentTarget.value)} data-testid="admin-code-order" /></label>
      <label class="check"><input type="checkbox" checked={active} onChange={(e) => setActive(e.currentTarget.checked)} /> <span>{t('active')}</span></label>
      <div class="form-actions">
        <button type="submit" class="primary" data-testid="admin-code-save">{isNew ? t('add') : t('save')}</button>
        {onCancel && <button type="button" onClick={onCancel}>{t('cancel')}</button>}
      </div>
    </form>
  );
}

export function DispositionAdmin() {
  const { rows, write, message } = useAdminData('/api/admin/disposition-codes');
  const [editing, setEditing] = useState(null);
  const save = async (code, body) => {
    if (await write('PUT', url(code), body, `${t('saved')}: ${code}`)) setEditing(null);
  };
  const toggle = (c) => write('PUT', url(c.code), { labelZh: c.labelZh, labelEn: c.labelEn, sortOrder: c.sortOrder, active: !c.active }, `${t('saved')}: ${c.code}`);
  return (
    <section class="panel">
      <h2>{t('dispositionCodes')}</h2>
      <Message message={message} />
      {rows === null ? <p class="muted">{t('loading')}</p> : (
        <table class="grid">
          <thead><tr><th>{t('code')}</th><th>{t('labelZh')}</th><th>{t('labelEn')}</th><th class="num">{t('sortOrder')}</th><th>{t('active')}</th><th /></tr></thead>
          <tbody data-testid="admin-codes">
            {rows.map((c) => (editing === c.code ? (
              <tr key={c.code}><td colSpan={6}><CodeForm initial={c} onSave={save} onCancel={() => setEditing(null)} /></td></tr>
            ) : (
              <tr key={c.code} class={c.active ? '' : 'inactive'} data-testid={`admin-code-${c.code}`}>
                <th scope="row"><code>{c.code}</code></th>
                <td>{c.labelZh}</td>
                <td>{c.labelEn}</td>
                <td class="num">{c.sortOrder}</td>
                <td>{c.active ? <span class="badge ok">{t('active')}</span> : <span class="badge">{t('inactive')}</span>}</td>
                <td class="actions">
                  <button type="button" class="small" onClick={() => setEditing(c.code)}>{t('edit')}</button>
                  <button type="button" class="small" onClick={() => toggle(c)}>{c.active ? t('deactivate') : t('activate')}</button>
                </td>
              </tr>
            )))}
          </tbody>
        </table>
      )}
      <h3>{t('add')}</h3>
      <CodeForm key={rows?.length ?? 0} initial={{}} isNew onSave={save} />
    </section>
  );
}
