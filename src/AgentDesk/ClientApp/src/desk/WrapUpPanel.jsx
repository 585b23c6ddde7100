// Wrap-up after a call: a disposition code, notes, and the seconds left before the platform makes
// the agent available again (the agent state's since + wrapUpSeconds).
import { useState } from 'preact/hooks';
import { lang, t } from '../common/i18n.js';
import { useNow } from '../common/format.js';

export function WrapUpPanel({ agent, codes, wrapUpSeconds, onSubmit }) {
  const now = useNow(250);
  const [code, setCode] = useState('');
  const [notes, setNotes] = useState('');
  const inWrapUp = agent?.state === 'wrapUp';
  const left = inWrapUp ? Math.max(0, Math.ceil(new Date(agent.since).getTime() / 1000 + wrapUpSeconds - now / 1000)) : wrapUpSeconds;
  const label = (c) => (lang() === 'zh' ? c.labelZh : c.labelEn) || c.code;
  return (
    <section class="panel wrapup" data-testid="wrapup">
      <div class="call-head">
        <h2>{t('wrapUp')}</h2>
        <span class={`timer ${left <= 10 ? 'urgent' : ''}`}>
          <span data-testid="wrapup-timer">{left}</span> <span class="muted">{t('secondsLeft')}</span>
        </span>
      </div>
      <form onSubmit={(e) => { e.preventDefault(); onSubmit(code, notes); }}>
        <label>
          <span>{t('wrapUpCode')}</span>
          <select data-testid="wrapup-code" value={code} onChange={(e) => setCode(e.currentTarget.value)}>
            <option value="">{t('chooseCode')}</option>
            {codes.map((c) => <option value={c.code}>{c.code} · {label(c)}</option>)}
          </select>
        </label>
        <label>
          <span>{t('notes')}</span>
          <textarea data-testid="wrapup-notes" rows={3} maxLength={2000} value={notes} onInput={(e) => setNotes(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary" data-testid="btn-wrapup">{t('submitWrapUp')}</button>
      </form>
    </section>
  );
}
