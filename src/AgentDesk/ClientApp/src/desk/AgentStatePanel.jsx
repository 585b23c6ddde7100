// The agent's own state and the buttons that change it: available, break (with a reason), sign off.
import { useState } from 'preact/hooks';
import { breakReasons, t, tReason, tState } from '../common/i18n.js';
import { duration, seconds, useNow } from '../common/format.js';

export function AgentStatePanel({ agent, onState, onSignOff }) {
  const now = useNow();
  const [reason, setReason] = useState(breakReasons[0]);
  const state = agent?.state ?? '';
  return (
    <section class="panel state-panel">
      <div class="state-now">
        <span class={`state-pill state-${state}`}>
          <span class="dot" aria-hidden="true" />
          <span>{agent ? tState(state) : t('connecting')}</span>
        </span>
        {agent && <span class="api-name" hidden data-testid="agent-state">{state}</span>}
        {agent?.reason && <span class="muted">{tReason(agent.reason)}</span>}
        {agent && <span class="muted">{t('since')} {duration(seconds(agent.since, now))}</span>}
        {agent && (
          <span class={agent.registered ? 'phone ok' : 'phone warn'}>{agent.registered ? t('phoneRegistered') : t('phoneNotRegistered')}</span>
        )}
      </div>
      <div class="state-actions">
        <button type="button" class="primary" data-testid="btn-available" disabled={!agent || state === 'available'} onClick={() => onState('available', null)}>
          {t('available')}
        </button>
        <label class="inline">
          <span class="sr-only">{t('breakReason')}</span>
          <select data-testid="break-reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)}>
            {breakReasons.map((r) => <option value={r}>{tReason(r)}</option>)}
          </select>
        </label>
        <button type="button" data-testid="btn-break" disabled={!agent} onClick={() => onState('break', reason)}>
          {t('takeBreak')}
        </button>
        <button type="button" class="danger-outline" data-testid="btn-signoff" onClick={onSignOff}>
          {t('signOff')}
        </button>
      </div>
    </section>
  );
}
