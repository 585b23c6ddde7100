// A supervisor books a callback from the wallboard (the hub's bookCallback(number, at, queue, owner): a time not in
// the past, a queue, optionally an agent to own it) and sees the callbacks still waiting (waitingCallbacks(), soonest
// due first, numbers masked), each with a cancel button (cancelCallback(id): never dialled then). The server answers a
// refusal with its reason (the dial plan, the do-not-call list, no trunk, the owner's cap), shown under the form.
// The list is read again after each booking or cancellation and whenever the callbacks owed per queue change.
import { useEffect, useState } from 'preact/hooks';
import { hubAction, refusal } from '../common/hub.js';
import { t, tQueue } from '../common/i18n.js';
import { dateTime, localValue } from '../common/format.js';

export function CallbackBooking({ connection, connected, queues, agents, counts }) {
  const [form, setForm] = useState({ number: '', at: '', queue: 'general', owner: '' });
  const [waiting, setWaiting] = useState([]);
  const [message, setMessage] = useState(null);
  const [busy, setBusy] = useState(false);

  const load = async () => {
    try {
      if (connection.current?.state === 'Connected') setWaiting(await connection.current.invoke('waitingCallbacks'));
    } catch (e) {
      setMessage({ error: true, text: refusal(e) });
    }
  };

  // Read on connecting and whenever the per-queue counts move (booked, cancelled, due, dialled anywhere).
  const countsKey = JSON.stringify(counts ?? []);
  useEffect(() => {
    if (connected) load();
  }, [connected, countsKey]);

  // The queues on the board (the form starts on "general", or the first queue where there is none).
  const queueIds = queues.length > 0 ? queues.map((q) => q.id) : ['general'];
  const queue = queueIds.includes(form.queue) ? form.queue : queueIds[0];

  const book = async (e) => {
    e.preventDefault();
    setMessage(null);
    const at = new Date(form.at);
    if (!form.at || Number.isNaN(at.getTime())) {
      setMessage({ error: true, text: t('callbackNeedsTime') });
      return;
    }
    await hubAction(setBusy, setMessage,
      () => connection.current.invoke('bookCallback', form.number.trim(), at.toISOString(), queue, form.owner || null),
      // Masked as in the list below: the board hangs on a wall.
      (booked) => `${t('callbackBooked')}: ${masked(booked.number)} · ${tQueue(booked.queue)} · ${dateTime(booked.at)}`,
      async () => {
        setForm({ ...form, number: '' });
        await load();
      });
  };

  const cancel = (id) => hubAction(setBusy, setMessage,
    () => connection.current.invoke('cancelCallback', id),
    (cancelled) => `${t('callbackCancelled')}: ${cancelled.id}`,
    load);

  return (
    <section class="panel wallboard-callbacks" data-testid="wb-callbacks">
      <h2>{t('wbCallbackBook')}</h2>
      <form class="row-form" onSubmit={book}>
        <label>
          <span>{t('callbackNumber')}</span>
          <input data-testid="wb-callback-number" maxLength={64} value={form.number} onInput={(e) => setForm({ ...form, number: e.currentTarget.value })} />
        </label>
        <label>
          <span>{t('callbackAt')}</span>
          <input type="datetime-local" data-testid="wb-callback-at" min={localValue(new Date())} value={form.at} onInput={(e) => setForm({ ...form, at: e.currentTarget.value })} />
        </label>
        <label>
          <span>{t('wbCallbackQueue')}</span>
          <select data-testid="wb-callback-queue" value={queue} onChange={(e) => setForm({ ...form, queue: e.currentTarget.value })}>
            {queueIds.map((id) => <option value={id}>{tQueue(id)}</option>)}
          </select>
        </label>
        <label>
          <span>{t('wbCallbackOwner')}</span>
          <select data-testid="wb-callback-owner" value={form.owner} onChange={(e) => setForm({ ...form, owner: e.currentTarget.value })}>
            <option value="">{t('wbCallbackNoOwner')}</option>
            {agents.map((a) => <option value={a.id}>{a.name ? `${a.id} ${a.name}` : a.id}</option>)}
          </select>
        </label>
        <div class="form-actions">
          <button type="submit" class="primary" data-testid="wb-callback-book" disabled={busy || form.number.trim() === ''}>{t('callbackBook')}</button>
        </div>
        <p class="wide muted small">{t('wbCallbackHint')}</p>
      </form>
      {message && <p class={message.error ? 'error' : 'notice'} data-testid="wb-callback-message">{message.text}</p>}
      <h3>{t('wbCallbackWaiting')}</h3>
      {waiting.length === 0
        ? <p class="muted small" data-testid="wb-callbacks-none">{t('wbCallbackNoneWaiting')}</p>
        : (
          <table class="grid compact">
            <thead>
              <tr>
                <th>{t('wbCallbackNumber')}</th>
                <th>{t('wbCallbackQueue')}</th>
                <th>{t('wbCallbackAt')}</th>
                <th>{t('wbCallbackOwner')}</th>
                <th>{t('state')}</th>
                <th>{t('wbCallbackBy')}</th>
                <th />
              </tr>
            </thead>
            <tbody data-testid="wb-callbacks-waiting">
              {waiting.map((c) => (
                <tr data-testid={`wb-callback-${c.id}`}>
                  <td>{c.maskedNumber}</td>
                  <td>{tQueue(c.queue)}</td>
                  <td>{c.nextAttemptAt ? dateTime(c.nextAttemptAt) : c.at ? dateTime(c.at) : t('wbCallbackAsap')}</td>
                  <td>{c.owner ?? ''}</td>
                  <td>{t(`callbackStatus.${c.status}`)}</td>
                  <td>{c.requestedBy ?? ''}</td>
                  <td>
                    <button type="button" class="link" data-testid={`wb-callback-cancel-${c.id}`} disabled={busy} onClick={() => cancel(c.id)}>{t('callbackCancel')}</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
    </section>
  );
}

/** A number as the waiting list shows it: the first 3 and last 4 digits, the rest starred (short numbers as they are). */
function masked(number) {
  const n = String(number ?? '');
  return n.length > 7 ? `${n.slice(0, 3)}****${n.slice(-4)}` : n;
}
