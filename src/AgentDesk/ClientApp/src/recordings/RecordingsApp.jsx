// The supervisors' recordings page, on /api/recordings with the desk cookie: search calls by time,
// number, agent, queue, tier and disposition; play a recording (the player seeks with HTTP range
// requests) or download it. The server checks each file's SHA-256 before it serves it and writes every
// play and download to the audit log; a refusal (changed file, deleted by retention) is shown as it came.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../common/api.js';
import { Header } from '../common/Header.jsx';
import { dateTime, duration } from '../common/format.js';
import { t, tDisposition, tiers, tQueue, tTier, useLang } from '../common/i18n.js';

/** A datetime-local input's value for a time (the browser's local time, to the minute). */
function localInput(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The server's problem sentence for a refused fetch (the audio element only says "error"). */
async function problemOf(response) {
  try {
    const body = await response.json();
    return body.detail || body.title || `${response.status}`;
  } catch {
    return `${response.status} ${response.statusText}`;
  }
}

async function sha256Hex(buffer) {
  if (!globalThis.crypto?.subtle) return null;
  const digest = await crypto.subtle.digest('SHA-256', buffer);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function Filters({ onSearch }) {
  const [form, setForm] = useState(() => ({
    from: localInput(new Date(Date.now() - 7 * 24 * 3600 * 1000)),
    to: '',
    number: '',
    agent: '',
    queue: '',
    tier: '',
    disposition: '',
    recorded: true,
  }));
  const set = (key) => (e) => setForm({ ...form, [key]: e.currentTarget.type === 'checkbox' ? e.currentTarget.checked : e.currentTarget.value });
  const submit = (e) => {
    e.preventDefault();
    onSearch(form);
  };
  useEffect(() => onSearch(form), []);
  return (
    <form class="panel filters" onSubmit={submit} data-testid="rec-filters">
      <label>{t('rec.from')}<input type="datetime-local" value={form.from} onInput={set('from')} data-testid="rec-from" /></label>
      <label>{t('rec.to')}<input type="datetime-local" value={form.to} onInput={set('to')} data-testid="rec-to" /></label>
      <label>{t('rec.number')}<input inputMode="tel" value={form.number} onInput={set('number')} data-testid="rec-number" placeholder="138…" /></label>
      <label>{t('agent')}<input value={form.agent} onInput={set('agent')} data-testid="rec-agent" placeholder="1001" /></label>
      <label>{t('queue')}<input value={form.queue} onInput={set('queue')} data-testid="rec-queue" placeholder="general" /></label>
      <label>{t('tier')}
        <select value={form.tier} onChange={set('tier')} data-testid="rec-tier">
          <option value="">{t('rec.any')}</option>
          {tiers.filter((x) => x !== 'ordinary').map((x) => <option value={x}>{tTier(x)}</option>)}
        </select>
      </label>
      <label>{t('disposition')}<input value={form.disposition} onInput={set('disposition')} data-testid="rec-disposition" placeholder="agent-hung-up / resolved" /></label>
      <label class="check"><input type="checkbox" checked={form.recorded} onChange={set('recorded')} data-testid="rec-recorded" />{t('rec.recordedOnly')}</label>
      <button type="submit" class="primary" data-testid="rec-search">{t('rec.search')}</button>
    </form>
  );
}

function stateLabel(row) {
  return t('rec.state.' + row.recording);
}

function Player({ row, onClose }) {
  const [error, setError] = useState(null);
  if (!row) return null;
  const onError = async () => {
    // One more (audited) request, for the server's reason: the media element does not expose it.
    const response = await fetch(row.audioUrl, { headers: { Range: 'bytes=0-0' }, credentials: 'same-origin' });
    setError(response.ok ? t('rec.playFailed') : await problemOf(response));
  };
  return (
    <section class="panel player" data-testid="rec-player">
      <h2>{t('rec.playing')} · {row.caller} · {dateTime(row.startedAt)}</h2>
      <p class="muted">{t('rec.channels')}</p>
      {error
        ? <p class="banner error" role="alert" data-testid="rec-error">{error}</p>
        : <audio controls autoplay preload="auto" src={row.audioUrl} onError={onError} data-testid="rec-audio" />}
      <p class="muted mono" title={row.recordingSha256}>SHA-256 {row.recordingSha256}</p>
      <button type="button" onClick={onClose}>{t('rec.close')}</button>
    </section>
  );
}

function DownloadButton({ row, onMessage }) {
  const download = async () => {
    const response = await fetch(row.downloadUrl, { credentials: 'same-origin' });
    if (!response.ok) {
      onMessage({ error: true, text: await problemOf(response) });
      return;
    }
    const buffer = await response.arrayBuffer();
    const sent = response.headers.get('X-Recording-Sha256');
    const got = await sha256Hex(buffer);
    if (got && sent && got !== sent) {
      onMessage({ error: true, text: t('rec.hashMismatchHere') });
      return;
    }
    const url = URL.createObjectURL(new Blob([buffer], { type: 'audio/wav' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `${row.id}.wav`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    onMessage({ error: false, text: `${t('rec.downloaded')} ${row.id}.wav · SHA-256 ${got ? t('rec.verified') : sent}` });
  };
  return <button type="button" onClick={download} disabled={row.recording !== 'kept'} data-testid={`rec-download-${row.id}`}>{t('rec.download')}</button>;
}

export function RecordingsApp() {
  useLang();
  const [rows, setRows] = useState(null);
  const [message, setMessage] = useState(null);
  const [playing, setPlaying] = useState(null);
  const search = async (form) => {
    const query = new URLSearchParams();
    if (form.from) query.set('from', new Date(form.from).toISOString());
    if (form.to) query.set('to', new Date(form.to).toISOString());
    for (const key of ['number', 'agent', 'queue', 'tier', 'disposition']) if (form[key].trim()) query.set(key, form[key].trim());
    if (form.recorded) query.set('recorded', 'true');
    try {
      setRows(await api('GET', `/api/recordings?${query}`));
      setMessage(null);
    } catch (e) {
      setMessage({ error: true, text: e.message });
    }
  };
  return (
    <>
      <Header page="recordings" />
      <main class="recordings">
        <Filters onSearch={search} />
        {message && <p class={message.error ? 'banner error' : 'banner ok'} role={message.error ? 'alert' : 'status'} data-testid="rec-message">{message.text}</p>}
        <Player row={playing} onClose={() => setPlaying(null)} key={playing?.id} />
        <section class="panel">
          <h2>{t('rec.title')}</h2>
          <div class="table-wrap">
            <table class="grid" data-testid="rec-table">
              <thead>
                <tr><th>{t('started')}</th><th>{t('caller')}</th><th>{t('tier')}</th><th>{t('queue')}</th><th>{t('agent')}</th><th>{t('talk')}</th><th>{t('disposition')}</th><th>{t('wrapUpCode')}</th><th>{t('rec.recording')}</th><th /></tr>
              </thead>
              <tbody>
                {rows === null && <tr><td colSpan={10}>{t('loading')}</td></tr>}
                {rows?.length === 0 && <tr><td colSpan={10}>{t('rec.none')}</td></tr>}
                {rows?.map((row) => (
                  <tr data-testid={`rec-row-${row.id}`}>
                    <td>{dateTime(row.startedAt)}</td>
                    <td>{row.caller}</td>
                    <td>{tTier(row.tier)}</td>
                    <td>{row.queue ? tQueue(row.queue) : '—'}</td>
                    <td>{row.agent ?? '—'}</td>
                    <td>{duration(row.talkSeconds)}</td>
                    <td>{tDisposition(row.disposition)}</td>
                    <td>{row.wrapUpCode ?? '—'}</td>
                    <td data-testid={`rec-state-${row.id}`} title={row.recordingDeletedAt ? `${t('rec.deletedAt')} ${dateTime(row.recordingDeletedAt)}` : ''} class={`rec-${row.recording}`}>{stateLabel(row)}</td>
                    <td class="actions">
                      <button type="button" onClick={() => setPlaying(row)} disabled={row.recording !== 'kept'} data-testid={`rec-play-${row.id}`}>{t('rec.play')}</button>
                      <DownloadButton row={row} onMessage={setMessage} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      </main>
    </>
  );
}
