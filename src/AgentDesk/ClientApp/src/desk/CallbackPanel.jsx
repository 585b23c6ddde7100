// Scheduled callbacks the agent books for themself (the hub's bookCallback(number, at, queue), owned by the
// signed-in agent: when due it is offered to them first, then to the queue), and their own list (myCallbacks()),
// where one still waiting may be cancelled (cancelCallback(id): never dialled then).
import { useEffect, useState } from 'preact/hooks';
import { hubAction, refusal } from '../common/hub.js';
import { t } from '../common/i18n.js';
import { dateTime, localValue } from '../common/format.js';

export function CallbackPanel({ connection, connected, number, onError }) {
  const [form, setForm] = useState({ number: '', at: '' });
  const [mine, setMine] = useState([]);
  const [message, setMessage] = useState(null);
  const [busy, setBusy] = useState(false);

  const load = async () => {
    try {
      if (connection.current?.state === 'Connected') setMine(await connection.current.invoke('myCallbacks'));
    } catch (e) {
      onError(refusal(e));
    }
  };

  useEffect(() => {
    if (connected) load();
  }, [connected]);

  // The client on screen is the one most likely to be called back.
  useEffect(() => {
    if (number) setForm((old) => ({ ...old, number }));
  }, [number]);

  const book = async (e) => {
    e.preventDefault();
    setMessage(null);
    const at = new Date(form.at);
    if (!form.at || Number.isNaN(at.getTime())) {
      setMessage({ error: true, text: t('callbackNeedsTime') });
      return;
    }
    await hubAction(setBusy, setMessage,
      () => connection.current.invoke('bookCallback', form.number.trim(), at.toISOString(), null),
      (booked) => `${t('callbackBooked')}: ${booked.number} · ${dateTime(booked.at)}`,
      load);
  };

  const cancel = (id) => hubAction(setBusy, setMessage,
    () => connection.current.invoke('cancelCallback', id),
    (cancelled) => `${t('callbackCancelled')}: ${cancelled.number}`,
    load);

  return (
    <section class="panel callbacks" data-testid="callback-panel">
      <h2>{t('callbacks')}</h2>
      <form onSubmit={book}>
        <label>
          <span>{t('callbackNumber')}</span>
          <input data-testid="callback-number" maxLength={64} value={form.number} onInput={(e) => setForm({ ...form, number: e.currentTarget.value })} />
        </label>
        <label>
          <span>{t('callbackAt')}</span>
          <input type="datetime-local" data-testid="callback-at" min={localValue(new Date())} value={form.at} onInput={(e) => setForm({ ...form, at: e.currentTarget.value })} />
        </label>
        <button type="submit" class="primary" data-testid="btn-callback-book" disabled={busy || form.number.trim() === ''}>{t('callbackBook')}</button>
      </form>
      <p class="muted small">{t('callbackHint')}</p>
      {message && <p class={message.error ? 'error' : 'notice'} data-testid="callback-message">{message.text}</p>}
      <table class="grid compact">
        <tbody data-testid="my-callbacks">
          {mine.map((c) => (
            <tr data-testid="callback-row">
              <td>{c.number}</td>
              <td>{dateTime(c.at)}</td>
              <td>{t(`callbackStatus.${c.status}`)}</td>
              <td>{c.outcome ? t(`outcome.${c.outcome}`) : ''}</td>
              <td>
                {(c.status === 'scheduled' || c.status === 'queued') && (
                  <button type="button" class="link" data-testid="btn-callback-cancel" disabled={busy} onClick={() => cancel(c.id)}>{t('callbackCancel')}</button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {mine.length === 0 && <p class="muted small">{t('callbackNone')}</p>}
    </section>
  );
}
