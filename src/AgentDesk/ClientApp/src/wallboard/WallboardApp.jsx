// The supervisor's wallboard: one /hubs/wallboard connection; a full view once a second, agent
// changes in between; change an agent's state, listen / whisper / barge on a live call; book a callback and cancel a
// waiting one; the received faxes still to handle.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { Header } from '../common/Header.jsx';
import { refusal, startHub } from '../common/hub.js';
import { t, useLang } from '../common/i18n.js';
import { clock } from '../common/format.js';
import { AgentGrid } from './AgentGrid.jsx';
import { AgentSummary } from './AgentSummary.jsx';
import { Charts } from './Charts.jsx';
import { ListDeadlines } from './ListDeadlines.jsx';
import { CallbackCounts } from './CallbackCounts.jsx';
import { CallbackBooking } from './CallbackBooking.jsx';
import { FaxTasks } from './FaxTasks.jsx';
import { ListEscalations } from './ListEscalations.jsx';
import { QueueTable } from './QueueTable.jsx';

export function WallboardApp() {
  useLang();
  const [status, setStatus] = useState('connecting');
  const [view, setView] = useState(null);
  const [receivedAt, setReceivedAt] = useState(Date.now());
  const [agents, setAgents] = useState([]);
  const [error, setError] = useState(null);
  const [monitoring, setMonitoring] = useState(null);
  const [escalations, setEscalations] = useState([]);
  const [notice, setNotice] = useState(null);
  const connection = useRef(null);

  const show = useCallback((next) => {
    setView(next);
    setReceivedAt(Date.now());
    setAgents(next.agents ?? []);
    setEscalations(next.listEscalations ?? []);
  }, []);

  useEffect(() => {
    connection.current = startHub('/hubs/wallboard', {
      wallboard: show,
      // A change between two views: update that agent's row at once.
      agentState: (a) => setAgents((list) => list.map((row) => (row.id === a.id
        ? { ...row, state: a.state, reason: a.reason, since: a.since, registered: a.registered, callId: a.callId, caller: a.callId ? row.caller : null }
        : row))),
      // An escalation as it happens, before the next view carries it.
      listEscalated: (e) => setEscalations((list) => [e, ...list.filter((x) => x.entryId !== e.entryId)].slice(0, 20)),
    }, {
      onStatus: setStatus,
      async onConnected(hub) {
        try {
          show(await hub.invoke('snapshot'));
        } catch (e) {
          setError(refusal(e));
        }
      },
    });
    return () => connection.current?.stop();
  }, [show]);

  const act = useCallback(async (method, ...args) => {
    try {
      await connection.current.invoke(method, ...args);
      return true;
    } catch (e) {
      setError(refusal(e));
      return false;
    }
  }, []);

  const monitor = async (agent, mode) => {
    if (await act('monitor', agent.callId, mode)) setMonitoring({ agent: agent.id, callId: agent.callId, mode });
  };
  // A supervisor hands a waiting caller to an available agent; the server's answer (done or why not) is shown.
  const pick = async (callId, agent) => {
    try {
      const result = await connection.current.invoke('pickCaller', callId, agent);
      setError(null);
      setNotice(result?.message ?? null);
    } catch (e) {
      setNotice(null);
      setError(refusal(e));
    }
  };
  const stopMonitor = async () => {
    if (await act('stopMonitor', monitoring.callId)) setMonitoring(null);
  };

  return (
    <>
      <Header page="wallboard" status={status}>
        <span class="updated">{t('updated')} <time data-testid="wallboard-updated">{view ? clock(view.at) : ''}</time></span>
      </Header>
      <main class="wallboard">
        <div class="banner error" hidden={!error}>
          <span data-testid="desk-error">{error ?? ''}</span>
          <button type="button" class="link" onClick={() => setError(null)}>×</button>
        </div>
        <div class="banner" hidden={!notice}>
          <span data-testid="wallboard-notice">{notice ?? ''}</span>
          <button type="button" class="link" onClick={() => setNotice(null)}>×</button>
        </div>
        {monitoring && (
          <div class="banner monitor">
            <span>{t('monitoring')} {monitoring.agent} · {t(monitoring.mode)}</span>
            <button type="button" data-testid="btn-stop-monitor" onClick={stopMonitor}>{t('stopMonitor')}</button>
          </div>
        )}
        <QueueTable queues={view?.queues ?? []} receivedAt={receivedAt} agents={agents} onPick={pick} />
        <p class="vip-line-note">{t('vipLineTurnedAway')} <strong data-testid="vip-line-turned-away">{view?.vipLineTurnedAway ?? 0}</strong></p>
        <ListDeadlines lists={view?.listDeadlines ?? []} />
        <CallbackCounts callbacks={view?.callbacks ?? []} />
        <CallbackBooking connection={connection} connected={status === 'connected'} queues={view?.queues ?? []} agents={agents} counts={view?.callbacks} />
        <FaxTasks faxTasks={view?.faxTasks ?? null} at={view?.at} receivedAt={receivedAt} />
        <ListEscalations escalations={escalations} />
        <AgentSummary agents={agents} byState={view?.agentsByState ?? {}} />
        <div class="chart-row">
          <Charts intervals={view?.intervals ?? []} />
        </div>
        <AgentGrid agents={agents} onSetState={(id, state, reason) => act('setAgentState', id, state, reason)} onMonitor={monitor} monitoring={monitoring} />
      </main>
    </>
  );
}
