// Agents and their skills: edit a row in place (name, skills, a new password), add one, remove one.
// PUT /api/admin/agents/{extension} {name, skills, password?}; the password sets the SIP and desk password.
// Each row's contact (mobile, e-mail) is where the agent, as an account manager, gets the review's lists (ContactForm).
import { useState } from 'preact/hooks';
import { t } from '../common/i18n.js';
import { ContactForm } from './ContactForm.jsx';
import { Message, useAdminData } from './useAdminData.jsx';

const skillsOf = (text) => text.split(/[,，\s]+/).map((s) => s.trim()).filter(Boolean);
/** Skills as a list, whether the API sends an array or a comma-separated string. */
const skillList = (skills) => (Array.isArray(skills) ? skills : skillsOf(String(skills ?? '')));
const url = (extension) => `/api/admin/agents/${encodeURIComponent(extension)}`;

function AgentForm({ initial, isNew, onSave, onCancel }) {
  const [extension, setExtension] = useState(initial.extension ?? '');
  const [name, setName] = useState(initial.name ?? '');
  const [skills, setSkills] = useState(skillList(initial.skills).join(', '));
  const [password, setPassword] = useState('');
  const submit = (e) => {
    e.preventDefault();
    const body = { name: name.trim(), skills: skillsOf(skills) };
    if (password) body.password = password;
    onSave(extension.trim(), body);
  };
  return (
    <form class="row-form" onSubmit={submit} data-testid={isNew ? 'agent-add-form' : `agent-edit-${initial.extension}`}>
      <label><span>{t('extension')}</span><input value={extension} onInput={(e) => setExtension(e.currentTarget.value)} disabled={!isNew} required pattern="[0-9]{2,10}" data-testid="admin-agent-extension" /></label>
      <label><span>{t('name')}</span><input value={name} onInput={(e) => setName(e.currentTarget.value)} required maxLength={64} data-testid="admin-agent-name" /></label>
      <label class="wide"><span>{t('skills')}</span><input value={skills} onInput={(e) => setSkills(e.currentTarget.value)} placeholder="zh, en, stocks" data-testid="admin-agent-skills" /></label>
      <label><span>{t('password')}</span><input type="password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} placeholder={isNew ? '' : t('passwordHint')} required={isNew} autocomplete="new-password" data-testid="admin-agent-password" /></label>
      <div class="form-actions">
        <button type="submit" class="primary" data-testid="admin-agent-save">{isNew ? t('add') : t('save')}</button>
        {onCancel && <button type="button" onClick={onCancel}>{t('cancel')}</button>}
      </div>
    </form>
  );
}

export function AgentsAdmin() {
  const { rows, write, message } = useAdminData('/api/admin/agents');
  const [editing, setEditing] = useState(null);
  const [contact, setContact] = useState(null);
  const save = async (extension, body) => {
    if (await write('PUT', url(extension), body, `${t('saved')}: ${extension}`)) setEditing(null);
  };
  const remove = (extension) => {
    if (confirm(`${t('confirmRemove')} ${extension}?`)) write('DELETE', url(extension), undefined, `${t('remove')}: ${extension}`);
  };
  return (
    <section class="panel">
      <h2>{t('adminAgents')}</h2>
      <Message message={message} />
      {rows === null ? <p class="muted">{t('loading')}</p> : (
        <table class="grid">
          <thead><tr><th>{t('extension')}</th><th>{t('name')}</th><th>{t('skills')}</th><th>{t('kind')}</th><th /></tr></thead>
          <tbody data-testid="admin-agents">
            {rows.map((a) => (editing === a.extension ? (
              <tr key={a.extension}><td colSpan={5}><AgentForm initial={a} onSave={save} onCancel={() => setEditing(null)} /></td></tr>
            ) : contact === a.extension ? (
              <tr key={a.extension}><td colSpan={5}><ContactForm extension={a.extension} onClose={() => setContact(null)} /></td></tr>
            ) : (
              <tr key={a.extension} data-testid={`admin-agent-${a.extension}`}>
                <th scope="row">{a.extension}</th>
                <td>{a.name}</td>
                <td>{skillList(a.skills).map((s) => <span class="chip">{s}</span>)}</td>
                <td>{t('kind.' + a.kind) === 'kind.' + a.kind ? a.kind : t('kind.' + a.kind)}</td>
                <td class="actions">
                  <button type="button" class="small" onClick={() => { setContact(null); setEditing(a.extension); }}>{t('edit')}</button>
                  <button type="button" class="small" onClick={() => { setEditing(null); setContact(a.extension); }} data-testid={`admin-agent-contact-${a.extension}`}>{t('contact')}</button>
                  <button type="button" class="small danger-outline" onClick={() => remove(a.extension)}>{t('remove')}</button>
                </td>
              </tr>
            )))}
          </tbody>
        </table>
      )}
      <h3>{t('add')}</h3>
      <AgentForm key={rows?.length ?? 0} initial={{}} isNew onSave={save} />
    </section>
  );
}
