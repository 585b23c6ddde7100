// E-mail tasks offered to this agent (the hub's emailTasks()), each with the client's pop (phone, tier),
// the mail's text and a reply box; replyEmail(taskId, text) sends the threaded answer and closes the task.
// A task not yet accepted is offered to someone else after a while: acceptEmail keeps it (so does starting a reply), declineEmail passes it on.
import { useState } from 'preact/hooks';
import { t, tTier } from '../common/i18n.js';
import { dateTime } from '../common/format.js';

export function EmailPanel({ tasks, onReply, onAccept, onDecline }) {
  return (
    <section class="panel email" data-testid="email-tasks">
      <h2>{t('emailTasks')}</h2>
      {tasks.length === 0 && <p class="muted small">{t('noEmailTasks')}</p>}
      {tasks.map((task) => <EmailTask key={task.id} task={task} onReply={onReply} onAccept={onAccept} onDecline={onDecline} />)}
    </section>
  );
}

function EmailTask({ task, onReply, onAccept, onDecline }) {
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  // Starting a reply is taking the task: an offer left unaccepted goes to someone else, draft and all.
  const keep = () => { if (!task.acceptedAt) onAccept(task.id); };
  const submit = async (e) => {
    e.preventDefault();
    setSending(true);
    if (!(await onReply(task.id, text))) setSending(false);
  };
  return (
    <article class="email-task" data-testid="email-task">
      <p>
        <strong>{task.fromName ? `${task.fromName} <${task.from}>` : task.from}</strong>
        {task.client && <span> · {task.client}</span>}
        {task.tier && <span class="tier"> · {tTier(task.tier)}</span>}
        <span class="muted small"> · {dateTime(task.receivedAt)}</span>
      </p>
      <p><strong data-testid="email-subject">{task.subject}</strong></p>
      <pre class="email-text">{task.text}</pre>
      {task.attachments > 0 && <p class="muted small">{t('attachments')}: {task.attachments}</p>}
      <p class="actions">
        {!task.acceptedAt && <button type="button" class="primary" data-testid="btn-email-accept" onClick={() => onAccept(task.id)}>{t('acceptEmail')}</button>}
        {task.acceptedAt && <span class="muted small" data-testid="email-accepted">{t('emailAccepted')} · {dateTime(task.acceptedAt)}</span>}
        <button type="button" data-testid="btn-email-decline" onClick={() => onDecline(task.id)}>{t('declineEmail')}</button>
      </p>
      <form onSubmit={submit}>
        <label>
          <span>{t('emailReply')}</span>
          <textarea data-testid="email-reply" rows={5} maxLength={100000} value={text} onFocus={keep} onInput={(e) => setText(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary" data-testid="btn-email-reply" disabled={sending || text.trim() === ''}>{t('sendReply')}</button>
      </form>
    </article>
  );
}
