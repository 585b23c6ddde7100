// The admins' announcements (信息发布), on /api/announcements with the desk cookie: the ones the notices menu
// plays now, those scheduled and those ended, each to listen to and to stop; and a form that makes one from a
// WAV recording (the server converts it to 8 kHz mono with NAudio) or from a text (spoken with espeak-ng when
// saved), with its language and its start and end. Obvious mistakes are named here before sending; whatever
// the server refuses (a file that is not a WAV it can read, a date) comes back with its reason and field.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../common/api.js';
import { Header } from '../common/Header.jsx';
import { dateTime } from '../common/format.js';
import { t, useLang } from '../common/i18n.js';

/** A datetime-local value (the admin's own clock) as ISO 8601 with an offset, as the API asks; '' stays ''. */
function isoOf(local) {
  if (!local) return '';
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function statusOf(row, now) {
  if (row.current) return 'current';
  return new Date(row.startsAt).getTime() > now ? 'scheduled' : 'ended';
}

/** The first problem a person can be told about before anything is sent, or null. */
function check(form) {
  if (!form.title.trim()) return { field: 'title', key: 'ann.error.title' };
  const starts = isoOf(form.startsAt);
  const ends = isoOf(form.endsAt);
  if (starts === null) return { field: 'startsAt', key: 'ann.error.date' };
  if (!form.endsAt || ends === null) return { field: 'endsAt', key: 'ann.error.endsAt' };
  if (new Date(ends).getTime() <= (starts ? new Date(starts).getTime() : Date.now())) return { field: 'endsAt', key: 'ann.error.order' };
  if (form.source === 'text' && !form.text.trim()) return { field: 'text', key: 'ann.error.text' };
  if (form.source === 'recording' && !form.file) return { field: 'recording', key: 'ann.error.file' };
  return null;
}

/** A field the server named, in the page's words (its own name when the page has none). */
function fieldLabel(field) {
  const key = 'ann.field.' + field;
  const label = t(key);
  return label === key ? field : label;
}

const empty = { title: '', language: 'zh', source: 'text', text: '', file: null, startsAt: '', endsAt: '' };

export function AnnouncementsApp() {
  useLang();
  const [rows, setRows] = useState(null);
  const [form, setForm] = useState(empty);
  const [fileKey, setFileKey] = useState(0);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState(null);
  const set = (name) => (e) => setForm({ ...form, [name]: e.currentTarget.value });

  const load = async () => {
    try {
      setRows(await api('GET', '/api/announcements'));
    } catch (e) {
      setMessage({ error: true, text: e.message });
    }
  };
  useEffect(() => {
    load();
  }, []);

  const save = async (e) => {
    e.preventDefault();
    if (busy) return;
    const problem = check(form);
    if (problem) {
      setMessage({ error: true, field: problem.field, text: `${fieldLabel(problem.field)}: ${t(problem.key)}` });
      return;
    }
    const body = new FormData();
    body.append('title', form.title.trim());
    body.append('language', form.language);
    if (form.startsAt) body.append('startsAt', isoOf(form.startsAt));
    body.append('endsAt', isoOf(form.endsAt));
    if (form.source === 'text') body.append('text', form.text.trim());
    else body.append('recording', form.file, form.file.name);
    setBusy(true);
    setMessage({ error: false, text: t('ann.saving') });
    try {
      const made = await api('POST', '/api/announcements', body);
      setMessage({ error: false, text: `${t('ann.saved')} · ${made.title} · ${made.durationSeconds} s` });
      setForm({ ...empty, language: form.language, source: form.source });
      setFileKey(fileKey + 1);
    } catch (err) {
      const field = err.field ?? null;
      setMessage({ error: true, field, text: `${t('ann.refused')}${field ? ` (${fieldLabel(field)})` : ''}: ${err.message}` });
    } finally {
      setBusy(false);
    }
    await load();
  };

  const remove = async (row) => {
    try {
      await api('DELETE', `/api/announcements/${row.id}`);
      setMessage({ error: false, text: `${t('ann.deleted')} · ${row.title}` });
    } catch (err) {
      setMessage({ error: true, text: err.message });
    }
    await load();
  };

  const now = Date.now();
  const invalid = (name) => (message?.error && message.field === name ? 'true' : undefined);
  return (
    <>
      <Header page="announcements" />
      <main class="announcements">
        {message && <p class={message.error ? 'banner error' : 'banner ok'} role={message.error ? 'alert' : 'status'} data-testid="ann-message">{message.text}</p>}
        <section class="panel">
          <h2>{t('ann.new')}</h2>
          <form onSubmit={save} data-testid="ann-form" novalidate>
            <div class="ann-grid">
              <label>{t('ann.field.title')}
                <input type="text" maxLength={100} value={form.title} onInput={set('title')} aria-invalid={invalid('title')} data-testid="ann-title" />
              </label>
              <label>{t('ann.field.language')}
                <select value={form.language} onChange={set('language')} data-testid="ann-language">
                  <option value="zh">{t('ann.lang.zh')}</option>
                  <option value="en">{t('ann.lang.en')}</option>
                </select>
              </label>
              <label>{t('ann.field.startsAt')}
                <input type="datetime-local" value={form.startsAt} onInput={set('startsAt')} aria-invalid={invalid('startsAt')} data-testid="ann-starts" />
                <small class="muted">{t('ann.startsNow')}</small>
              </label>
              <label>{t('ann.field.endsAt')}
                <input type="datetime-local" value={form.endsAt} onInput={set('endsAt')} aria-invalid={invalid('endsAt')} data-testid="ann-ends" />
              </label>
            </div>
            <fieldset>
              <legend>{t('ann.source')}</legend>
              {['text', 'recording'].map((source) => (
                <label class="check">
                  <input type="radio" name="ann-source" value={source} checked={form.source === source} onChange={() => setForm({ ...form, source })} data-testid={`ann-source-${source}`} />
                  {t('ann.source.' + source)}
                </label>
              ))}
              {form.source === 'text'
                ? (
                  <label>{t('ann.field.text')}
                    <textarea rows={4} maxLength={1000} value={form.text} onInput={set('text')} aria-invalid={invalid('text')} data-testid="ann-text" />
                  </label>
                  )
                : (
                  <label>{t('ann.field.recording')}
                    <input key={fileKey} type="file" accept=".wav,audio/wav,audio/x-wav,audio/wave" onChange={(e) => setForm({ ...form, file: e.currentTarget.files[0] ?? null })} aria-invalid={invalid('recording')} data-testid="ann-file" />
                    <small class="muted">{t('ann.fileHint')}</small>
                  </label>
                  )}
            </fieldset>
            <button type="submit" class="primary" disabled={busy} data-testid="ann-save">{busy ? t('ann.saving') : t('ann.save')}</button>
          </form>
        </section>
        <section class="panel">
          <h2>{t('ann.list')}</h2>
          <button type="button" class="ghost" onClick={load} data-testid="ann-refresh">{t('ann.refresh')}</button>
          <div class="table-wrap">
            <table class="grid" data-testid="ann-table">
              <thead>
                <tr><th>{t('ann.field.title')}</th><th>{t('ann.field.language')}</th><th>{t('ann.source')}</th><th>{t('ann.length')}</th><th>{t('ann.field.startsAt')}</th><th>{t('ann.field.endsAt')}</th><th>{t('ann.status')}</th><th>{t('ann.createdBy')}</th><th /></tr>
              </thead>
              <tbody>
                {rows === null && <tr><td colSpan={9}>{t('loading')}</td></tr>}
                {rows?.length === 0 && <tr><td colSpan={9}>{t('ann.none')}</td></tr>}
                {rows?.map((row) => {
                  const status = statusOf(row, now);
                  return (
                    <tr data-testid={`ann-row-${row.id}`} class={`ann-${status}`}>
                      <td>{row.title}{row.text && <div class="muted ann-text">{row.text}</div>}</td>
                      <td>{t('ann.lang.' + row.language)}</td>
                      <td>{t('ann.kind.' + row.source)}</td>
                      <td>{row.durationSeconds} s</td>
                      <td>{dateTime(row.startsAt)}</td>
                      <td>{dateTime(row.endsAt)}</td>
                      <td data-testid={`ann-status-${row.id}`}>{t('ann.status.' + status)}</td>
                      <td>{row.createdBy}</td>
                      <td class="actions">
                        <audio controls preload="none" src={row.audio} data-testid={`ann-audio-${row.id}`} />
                        <button type="button" class="danger" onClick={() => remove(row)} data-testid={`ann-delete-${row.id}`}>{t('ann.delete')}</button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>
      </main>
    </>
  );
}
