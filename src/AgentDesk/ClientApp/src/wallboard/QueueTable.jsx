// Per queue: callers waiting by tier, the longest wait (ticking between views), today's service
// level, offered / answered / abandoned (live: calls still going on count too), agents available; then every
// caller waiting, with the supervisor's pick of an available agent for one of them.
import { useState } from 'preact/hooks';
import { lang, t, tiers, tQueue, tTier } from '../common/i18n.js';
import { duration, percent, useNow } from '../common/format.js';

/** The count of a tier; the server's dictionary keys keep the tier's own spelling, look them up either way. */
function countOf(byTier, tier) {
  if (!byTier) return 0;
  if (tier in byTier) return byTier[tier];
  const key = Object.keys(byTier).find((k) => k.toLowerCase() === tier.toLowerCase());
  return key ? byTier[key] : 0;
}

/**
 * The tier columns: the futures grades always, then any other tier a caller waits with (a securities card when the
 * hotline serves both businesses), in the server's spelling.
 */
function tierColumns(queues) {
  const seen = new Set(tiers.map((x) => x.toLowerCase()));
  const more = [];
  for (const q of queues) {
    for (const key of Object.keys(q.waitingByTier ?? {})) {
      if (!seen.has(key.toLowerCase())) {
        seen.add(key.toLowerCase());
        more.push(key);
      }
    }
  }
  return [...tiers, ...more];
}

export function QueueTable({ queues, receivedAt, agents, onPick }) {
  const now = useNow(500);
  const extra = (now - receivedAt) / 1000;
  const columns = tierColumns(queues);
  return (
    <section class="panel">
      <h2>{t('queues')}</h2>
      <table class="grid queues">
        <thead>
          <tr>
            <th>{t('queue')}</th>
            <th class="num">{t('waiting')}</th>
            {columns.map((tier) => <th class="num"><span class={`tier tier-${tier.toLowerCase()} mini`}>{tTier(tier)}</span></th>)}
            <th class="num">{t('longest')}</th>
            <th class="num">{t('serviceLevel')}</th>
            <th class="num">{t('offered')}</th>
            <th class="num">{t('answered')}</th>
            <th class="num">{t('abandoned')}</th>
            <th class="num">{t('agentsAvailable')}</th>
          </tr>
        </thead>
        <tbody>
          {queues.map((q) => {
            const longest = q.waiting > 0 ? q.longestWaitSeconds + extra : 0;
            const sl = q.serviceLevel;
            return (
              <tr data-testid={`queue-${q.id}`} class={q.waiting > 0 ? 'busy' : ''}>
                <th scope="row" title={q.id}>{tQueue(q.id)}</th>
                <td class="num big" data-testid={`queue-${q.id}-waiting`}>{q.waiting}</td>
                {columns.map((tier) => {
                  const n = countOf(q.waitingByTier, tier);
                  return <td class={`num ${n ? 'has' : 'zero'}`} data-testid={`queue-${q.id}-tier-${tier}`}>{n}</td>;
                })}
                <td class={`num ${longest >= 60 ? 'alarm' : ''}`} data-testid={`queue-${q.id}-longest`}>{duration(longest)}</td>
                <td class={`num ${sl !== null && sl !== undefined && sl < 0.8 ? 'alarm' : ''}`} data-testid={`queue-${q.id}-sl`}>{percent(sl)}</td>
                <td class="num" data-testid={`queue-${q.id}-offered`}>{q.offered}</td>
                <td class="num" data-testid={`queue-${q.id}-answered`}>{q.answered}</td>
                <td class="num" data-testid={`queue-${q.id}-abandoned`}>{q.abandoned}</td>
                <td class="num">{q.agentsAvailable}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <WaitingCallers queues={queues} now={now} agents={agents ?? []} onPick={onPick} />
    </section>
  );
}

/** The tier as the configured scheme names and colours it (as the agent's pop shows it); the dictionary's name otherwise. */
function TierBadge({ caller }) {
  const configured = lang() === 'zh' ? caller.tierZh : caller.tierEn;
  const tier = caller.tier ?? 'ordinary';
  return (
    <span class={`tier tier-${tier.toLowerCase()} mini`} title={tier}
      style={caller.tierColour ? { background: caller.tierColour, color: '#fff' } : undefined}>{configured ?? tTier(caller.tier)}</span>
  );
}

/** Every caller waiting, in the order each queue will serve them: queue, tier, masked number, wait; and a pick for an available agent. */
function WaitingCallers({ queues, now, agents, onPick }) {
  const callers = queues.flatMap((q) => (q.callers ?? []).map((c) => ({ ...c, queue: q.id })));
  const free = agents.filter((a) => a.state === 'available');
  return (
    <>
      <h3>{t('waitingCallers')}</h3>
      {callers.length === 0
        ? <p class="muted small" data-testid="waiting-callers-none">{t('noWaitingCallers')}</p>
        : (
          <table class="grid compact" data-testid="waiting-callers">
            <thead><tr><th>{t('queue')}</th><th>{t('tier')}</th><th>{t('caller')}</th><th class="num">{t('wait')}</th><th>{t('pickFor')}</th></tr></thead>
            <tbody>
              {callers.map((c) => (
                <tr key={c.callId} data-testid={`waiting-${c.callId}`}>
                  <td>{tQueue(c.queue)}</td>
                  <td data-testid={`waiting-${c.callId}-tier`}><TierBadge caller={c} />{c.held ? <span class="muted small"> {t('heldForManager')}</span> : null}</td>
                  <td>{c.maskedNumber}</td>
                  <td class="num">{duration((now - new Date(c.waitingSince).getTime()) / 1000)}</td>
                  <td><PickAgent callId={c.callId} free={free} onPick={onPick} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
    </>
  );
}

/** An available agent to hand this caller to; the server checks again (the caller may have gone, the agent been taken). */
function PickAgent({ callId, free, onPick }) {
  const [agent, setAgent] = useState('');
  const chosen = free.some((a) => a.id === agent) ? agent : '';
  if (free.length === 0) return <span class="muted small">{t('noAvailableAgent')}</span>;
  return (
    <span class="pick">
      <select data-testid={`waiting-${callId}-agent`} aria-label={t('pickFor')} value={chosen} onChange={(e) => setAgent(e.currentTarget.value)}>
        <option value="">{t('chooseAgent')}</option>
        {free.map((a) => <option value={a.id}>{a.name ? `${a.id} ${a.name}` : a.id}</option>)}
      </select>
      <button type="button" data-testid={`waiting-${callId}-pick`} disabled={!chosen || !onPick}
        onClick={() => onPick(callId, chosen)}>{t('pick')}</button>
    </span>
  );
}
