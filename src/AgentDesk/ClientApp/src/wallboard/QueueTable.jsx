// Per queue: callers waiting by tier, the longest wait (ticking between views), today's service
// level, offered / answered / abandoned, agents available.
import { t, tiers, tQueue, tTier } from '../common/i18n.js';
import { duration, percent, useNow } from '../common/format.js';

/** The count of a tier; the server's dictionary keys keep the tier's own spelling, look them up either way. */
function countOf(byTier, tier) {
  if (!byTier) return 0;
  if (tier in byTier) return byTier[tier];
  const key = Object.keys(byTier).find((k) => k.toLowerCase() === tier.toLowerCase());
  return key ? byTier[key] : 0;
}

export function QueueTable({ queues, receivedAt }) {
  const now = useNow(500);
  const extra = (now - receivedAt) / 1000;
  return (
    <section class="panel">
      <h2>{t('queues')}</h2>
      <table class="grid queues">
        <thead>
          <tr>
            <th>{t('queue')}</th>
            <th class="num">{t('waiting')}</th>
            {tiers.map((tier) => <th class="num"><span class={`tier tier-${tier.toLowerCase()} mini`}>{tTier(tier)}</span></th>)}
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
                {tiers.map((tier) => {
                  const n = countOf(q.waitingByTier, tier);
                  return <td class={`num ${n ? 'has' : 'zero'}`} data-testid={`queue-${q.id}-tier-${tier}`}>{n}</td>;
                })}
                <td class={`num ${longest >= 60 ? 'alarm' : ''}`} data-testid={`queue-${q.id}-longest`}>{duration(longest)}</td>
                <td class={`num ${sl !== null && sl !== undefined && sl < 0.8 ? 'alarm' : ''}`} data-testid={`queue-${q.id}-sl`}>{percent(sl)}</td>
                <td class="num">{q.offered}</td>
                <td class="num">{q.answered}</td>
                <td class="num" data-testid={`queue-${q.id}-abandoned`}>{q.abandoned}</td>
                <td class="num">{q.agentsAvailable}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <WaitingCallers queues={queues} now={now} />
    </section>
  );
}

/** Every caller waiting, in the order each queue will serve them: queue, tier, masked number, wait. */
function WaitingCallers({ queues, now }) {
  const callers = queues.flatMap((q) => (q.callers ?? []).map((c) => ({ ...c, queue: q.id })));
  return (
    <>
      <h3>{t('waitingCallers')}</h3>
      {callers.length === 0
        ? <p class="muted small" data-testid="waiting-callers-none">{t('noWaitingCallers')}</p>
        : (
          <table class="grid compact" data-testid="waiting-callers">
            <thead><tr><th>{t('queue')}</th><th>{t('tier')}</th><th>{t('caller')}</th><th class="num">{t('wait')}</th></tr></thead>
            <tbody>
              {callers.map((c) => (
                <tr data-testid={`waiting-${c.callId}`}>
                  <td>{tQueue(c.queue)}</td>
                  <td>{tTier(c.tier)}</td>
                  <td>{c.maskedNumber}</td>
                  <td class="num">{duration((now - new Date(c.waitingSince).getTime()) / 1000)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
    </>
  );
}
