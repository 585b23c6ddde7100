// Agents by state: counted from the grid (kept current by agentState pushes), the view's figures for states no row has.
import { agentStates, tState } from '../common/i18n.js';

export function AgentSummary({ agents, byState }) {
  const counts = Object.fromEntries(agentStates.map((s) => [s, 0]));
  if (agents.length > 0) {
    for (const a of agents) counts[a.state] = (counts[a.state] ?? 0) + 1;
  } else {
    Object.assign(counts, byState);
  }
  return (
    <section class="tiles">
      {Object.entries(counts).map(([state, n]) => (
        <div class={`tile state-${state}`}>
          <div class="tile-n" data-testid={`agents-${state}`}>{n}</div>
          <div class="tile-label"><span class="dot" aria-hidden="true" /> {tState(state)}</div>
        </div>
      ))}
    </section>
  );
}
