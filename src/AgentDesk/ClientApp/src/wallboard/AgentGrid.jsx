// The agent grid: state and time in it, the call they are on, a state change, and listen / whisper /
// barge for agents on a call (the supervisor's own phone rings and is joined).
import { useState } from 'preact/hooks';
import { t, tReason, tState } from '../common/i18n.js';
import { duration, seconds, useNow } from '../common/format.js';

const settable = ['available', 'break', 'offline'];
const modes = ['listen', 'whisper', 'barge'];

function AgentRow({ agent, now, onSetState, onMonitor, monitoring }) {
  const [target, setTarget] = useState('break');
  const id = agent.id;
  return (
    <tr data-testid={`agent-${id}`} class={`state-${agent.state}`}>
      <th scope="row">{id}</th>
      <td>{agent.name ?? ''}</td>
      <td>
        <span class={`state-pill state-${agent.state}`}><span class="dot" aria-hidden="true" />{tState(agent.state)}</span>
        <span class="api-name" hidden data-testid={`agent-${id}-state`}>{agent.state}</span>
        {agent.reason && <span class="muted small"> {tReason(agent.reason)}</span>}
      </td>
      <td class="num">{duration(seconds(agent.since, now))}</td>
      <td>{agent.registered ? '✔' : <span class="warn">✖</span>}</td>
      <td>{agent.callId ? <span class="on-call">{agent.caller ?? agent.callId}</span> : ''}</td>
      <td class="actions">
        <select data-testid={`agent-${id}-set`} value={target} onChange={(e) => setTarget(e.currentTarget.value)} aria-label={t('setState')}>
          {settable.map((s) => <option value={s}>{tState(s)}</option>)}
        </select>
        <button type="button" class="small" data-testid={`agent-${id}-apply`} onClick={() => onSetState(id, target, target === 'break' ? 'supervisor' : null)}>{t('apply')}</button>
      </td>
      <td class="actions">
        {agent.callId && modes.map((mode) => (
          <button type="button" class={`small monitor-${mode} ${monitoring?.callId === agent.callId && monitoring.mode === mode ? 'active' : ''}`}
            data-testid={`agent-${id}-${mode}`} onClick={() => onMonitor(agent, mode)}>{t(mode)}</button>
        ))}
      </td>
    </tr>
  );
}

export function AgentGrid({ agents, onSetState, onMonitor, monitoring }) {
  const now = useNow();
  return (
    <section class="panel">
      <h2>{t('agents')}</h2>
      <table class="grid agents">
        <thead>
          <tr>
            <th>{t('extension')}</th><th>{t('name')}</th><th>{t('state')}</th><th class="num">{t('timeInState')}</th>
            <th>{t('registered')}</th><th>{t('currentCall')}</th><th>{t('setState')}</th><th>{t('listen')} / {t('whisper')} / {t('barge')}</th>
          </tr>
        </thead>
        <tbody>
          {agents.map((a) => <AgentRow key={a.id} agent={a} now={now} onSetState={onSetState} onMonitor={onMonitor} monitoring={monitoring} />)}
        </tbody>
      </table>
    </section>
  );
}
