// The call controls: hold / resume, blind transfer and consult (then complete or cancel), hang up.
// Buttons are always there and enabled only where the call's state allows them.
import { useState } from 'preact/hooks';
import { t } from '../common/i18n.js';
import { duration, seconds, useNow } from '../common/format.js';

export function CallPanel({ call, act }) {
  const now = useNow();
  const [target, setTarget] = useState('');
  const state = call?.state ?? '';
  const id = call?.callId;
  const connected = state === 'talking' || state === 'held';
  const live = connected || state === 'consulting' || state === 'ringing';
  const hasTarget = target.trim() !== '';
  return (
    <section class={`panel call call-${state || 'none'}`}>
      <div class="call-head">
        <h2>{t('call')}</h2>
        {call ? (
          <span class={`call-state cs-${state}`}>
            {t('call.' + state)} <span class="api-name" hidden data-testid="call-state">{state}</span>
            <span class="muted"> · {duration(seconds(call.since, now))}</span>
          </span>
        ) : (
          <span class="muted">{t('noCall')}</span>
        )}
      </div>
      {call?.detail && <p class="muted small">{call.detail}</p>}
      <div class="call-actions">
        <button type="button" data-testid="btn-hold" disabled={state !== 'talking'} onClick={() => act('hold', id)}>{t('hold')}</button>
        <button type="button" data-testid="btn-resume" disabled={state !== 'held'} onClick={() => act('resume', id)}>{t('resume')}</button>
        <button type="button" class="danger" data-testid="btn-hangup" disabled={!live} onClick={() => act('hangUp', id)}>{t('hangUp')}</button>
      </div>
      <form class="transfer" onSubmit={(e) => { e.preventDefault(); act('transfer', id, target.trim()); }}>
        <label>
          <span>{t('transferTarget')}</span>
          <input data-testid="transfer-target" value={target} onInput={(e) => setTarget(e.currentTarget.value)} placeholder="1002 / vip / 13800000000" autocomplete="off" maxLength={32} />
        </label>
        <div class="call-actions">
          <button type="submit" data-testid="btn-transfer" disabled={!connected || !hasTarget}>{t('transfer')}</button>
          <button type="button" data-testid="btn-consult" disabled={!connected || !hasTarget} onClick={() => act('consult', id, target.trim())}>{t('consult')}</button>
          <button type="button" class="primary" data-testid="btn-complete-consult" disabled={state !== 'consulting'} onClick={() => act('completeConsult', id)}>{t('completeConsult')}</button>
          <button type="button" data-testid="btn-cancel-consult" disabled={state !== 'consulting'} onClick={() => act('cancelConsult', id)}>{t('cancelConsult')}</button>
        </div>
      </form>
    </section>
  );
}
