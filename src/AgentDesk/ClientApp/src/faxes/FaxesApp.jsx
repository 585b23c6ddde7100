// The supervisors' received faxes, on /api/faxes with the desk cookie: the new ones (a task each) or the
// handled ones, each with its pages, its PDF to view, and a button that marks it handled. The server keeps
// who marked it and when, and writes the mark (or its refusal: handled already) to the audit log.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../common/api.js';
import { Header } from '../common/Header.jsx';
import { dateTime } from '../common/format.js';
import { t, useLang } from '../common/i18n.js';

function statusLabel(status) {
  const key = 'fax.status.' + status;
  const label = t(key);
  return label === key ? status : label;
}

export function FaxesApp() {
  useLang();
  const [task, setTask] = useState('new');
  const [rows, setRows] = useState(null);
  const [message, setMessage] = useState(null);
  const load = async (which = task) => {
    try {
      setRows(await api('GET', `/api/faxes?direction=inbound&task=${which}&limit=200`));
    } catch (e) {
      setMessage({ error: true, text: e.message });
    }
  };
  useEffect(() => {
    setRows(null);
    load(task);
  }, [task]);
  const markHandled = async (row) => {
    try {
      const done = await api('POST', `/api/faxes/${encodeURIComponent(row.id)}/handled`, {});
      setMessage({ error: false, text: `${t('fax.marked')} · ${row.from} · ${done.handledBy}` });
    } catch (e) {
      setMessage({ error: true, text: e.message });
    }
    await load();
  };
  return (
    <>
      <Header page="faxes" />
      <main class="faxes">
        <section class="panel">
          <h2>{t('fax.title')}</h2>
          <div class="tabs" role="tablist">
            {['new', 'handled'].map((name) => (
              <button type="button" role="tab" aria-selected={task === name} class={task === name ? 'tab on' : 'tab'} onClick={() => setTask(name)} data-testid={`fax-tab-${name}`}>
                {t('fax.task.' + name)}
              </button>
            ))}
            <button type="button" class="ghost" onClick={() => load()} data-testid="fax-refresh">{t('fax.refresh')}</button>
          </div>
          {message && <p class={message.error ? 'banner error' : 'banner ok'} role={message.error ? 'alert' : 'status'} data-testid="fax-message">{message.text}</p>}
          <div class="table-wrap">
            <table class="grid" data-testid="fax-table">
              <thead>
                <tr><th>{t('fax.receivedAt')}</th><th>{t('fax.from')}</th><th>{t('fax.to')}</th><th>{t('fax.pages')}</th><th>{t('fax.status')}</th><th>{t('fax.handledBy')}</th><th /></tr>
              </thead>
              <tbody>
                {rows === null && <tr><td colSpan={7}>{t('loading')}</td></tr>}
                {rows?.length === 0 && <tr><td colSpan={7}>{t('fax.none')}</td></tr>}
                {rows?.map((row) => (
                  <tr data-testid={`fax-row-${row.id}`}>
                    <td>{dateTime(row.createdAt)}</td>
                    <td>{row.from}</td>
                    <td>{row.to}</td>
                    <td>{row.pages}</td>
                    <td>{statusLabel(row.status)}</td>
                    <td data-testid={`fax-handled-${row.id}`}>{row.handledBy ? `${row.handledBy} · ${dateTime(row.handledAt)}` : '—'}</td>
                    <td class="actions">
                      {row.pdf
                        ? <a class="pdf-link" href={row.pdf} target="_blank" rel="noopener" data-testid={`fax-pdf-${row.id}`}>{t('fax.view')}</a>
                        : <span class="muted">{t('fax.noPdf')}</span>}
                      {row.task === 'new' && (
                        <button type="button" class="primary" disabled={row.status === 'receiving'} onClick={() => markHandled(row)} data-testid={`fax-mark-${row.id}`}>{t('fax.markHandled')}</button>
                      )}
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
