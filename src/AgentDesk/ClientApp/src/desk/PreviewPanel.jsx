// Preview dialling for call lists: the agent asks for the next entry (the hub's previewNext(), held for
// them alone), sees the client, the list, why the call is owed and by when, then dials it
// (previewDial: their phone rings first, then the client) or skips it with a reason (previewSkip).
import { useEffect, useState } from 'preact/hooks';
import { refusal } from '../common/hub.js';
import { t } from '../common/i18n.js';
import { dateTime } from '../common/format.js';

export function PreviewPanel({ connection, connected, onError }) {
  const [entry, setEntry] = useState(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);

  // After a (re)connect, show the entry this agent still holds.
  useEffect(() => {
    if (!connected) return;
    connection.current?.invoke('previewCurrent').then(setEntry, () => {});
  }, [connected, connection]);

  const run = async (method, ...args) => {
    setBusy(true);
    try {
      return await connection.current.invoke(method, ...args);
    } catch (e) {
      onError(refusal(e));
      return null;
    } finally {
      setBusy(false);
    }
  };

  const next = async () => setEntry((await run('previewNext')) ?? entry);
  const dial = async () => {
    if (await run('previewDial', entry.entryId)) setEntry(null);
  };
  const skip = async (e) => {
    e.preventDefault();
    if (await run('previewSkip', entry.entryId, reason.trim())) {
      setEntry(null);
      setReason('');
    }
  };

  return (
    <section class="panel preview" data-testid="list-preview">
      <h2>{t('listPreview')}</h2>
      {!entry && <button type="button" class="primary" data-testid="btn-preview-next" disabled={busy} onClick={next}>{t('previewNext')}</button>}
      {entry && (
        <article data-testid="preview-entry">
          <p>
            <strong data-testid="preview-client">{entry.clientName ?? entry.number}</strong>
            <span> · {entry.number}</span>
          </p>
          <p>{t('previewList')}: <span data-testid="preview-list">{entry.listName}</span> ({t(`listKind.${entry.kind}`)})</p>
          {entry.note && <p>{t('previewReason')}: <span data-testid="preview-note">{entry.note}</span></p>}
          {entry.accountManager && <p>{t('previewManager')}: {entry.accountManager}</p>}
          <p>{t('previewDue')}: <span data-testid="preview-due">{dateTime(entry.dueBy)}</span> · {t('previewAttempts')}: {entry.attempts}/{entry.maxAttempts}</p>
          <button type="button" class="primary" data-testid="btn-preview-dial" disabled={busy} onClick={dial}>{t('previewDial')}</button>
          <form onSubmit={skip}>
            <label>
              <span>{t('skipReason')}</span>
              <input data-testid="preview-skip-reason" maxLength={200} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
            </label>
            <button type="submit" data-testid="btn-preview-skip" disabled={busy || reason.trim() === ''}>{t('previewSkip')}</button>
          </form>
        </article>
      )}
    </section>
  );
}
