// The agent desk: one /hubs/agent connection; state from current() on every (re)connect, then the
// server's pop / callState / agentState pushes.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { Header } from '../common/Header.jsx';
import { refusal, startHub } from '../common/hub.js';
import { t, useLang } from '../common/i18n.js';
import { session, signOut } from '../common/session.js';
import { AgentStatePanel } from './AgentStatePanel.jsx';
import { CallbackPanel } from './CallbackPanel.jsx';
import { CallPanel } from './CallPanel.jsx';
import { EmailPanel } from './EmailPanel.jsx';
import { HistoryPanel } from './HistoryPanel.jsx';
import { PhonePanel } from './PhonePanel.jsx';
import { PopPanel } from './PopPanel.jsx';
import { PreviewPanel } from './PreviewPanel.jsx';
import { WrapUpPanel } from './WrapUpPanel.jsx';

const historyLimit = 20;
// A slow safety net: offers are pushed (emailTaskOffered); this only catches a push lost in a reconnect.
const emailPollMs = 30000;

export function DeskApp() {
  useLang();
  const [status, setStatus] = useState('connecting');
  const [agent, setAgent] = useState(null);
  const [pop, setPop] = useState(null);
  const [call, setCall] = useState(null);
  const [codes, setCodes] = useState([]);
  const [wrapUpSeconds, setWrapUpSeconds] = useState(0);
  const [history, setHistory] = useState([]);
  const [emailTasks, setEmailTasks] = useState([]);
  const lastState = useRef(null);
  const [error, setError] = useState(null);
  const [wrappedUp, setWrappedUp] = useState(null);
  const connection = useRef(null);

  const loadHistory = useCallback(async () => {
    try {
      setHistory(await connection.current.invoke('history', historyLimit));
    } catch (e) {
      setError({ message: refusal(e), at: new Date() });
    }
  }, []);

  // E-mail tasks are offered by the platform's routing loop, which pushes emailTaskOffered; the desk then reads them.
  const loadEmailTasks = useCallback(async () => {
    try {
      if (connection.current?.state === 'Connected') setEmailTasks(await connection.current.invoke('emailTasks'));
    } catch (e) {
      setError({ message: refusal(e), at: new Date() });
    }
  }, []);

  useEffect(() => {
    const timer = setInterval(loadEmailTasks, emailPollMs);
    return () => clearInterval(timer);
  }, [loadEmailTasks]);

  useEffect(() => {
    connection.current = startHub('/hubs/agent', {
      pop: (next) => {
        setPop(next);
        setWrappedUp(null);
      },
      callState: (next) => {
        setCall(next);
        if (next.state === 'ended') loadHistory();
      },
      agentState: (next) => {
        // The call's record is written when the wrap-up ends: read the history again a moment later.
        // The wrap-up over, the last caller's pop and the ended call leave the screen.
        if (lastState.current === 'wrapUp' && next.state !== 'wrapUp') {
          setTimeout(loadHistory, 1000);
          setPop((old) => (old?.callId && old.callId === next.callId ? old : null));
          setCall((old) => (old?.state === 'ended' ? null : old));
          setWrappedUp(null);
        }
        lastState.current = next.state;
        setAgent(next);
      },
      emailTaskOffered: () => loadEmailTasks(),
      emailTaskWithdrawn: () => loadEmailTasks(),
    }, {
      onStatus: setStatus,
      async onConnected(hub) {
        try {
          const now = await hub.invoke('current');
          lastState.current = now.agent?.state ?? null;
          setAgent(now.agent);
          // Keep the pop already on screen (a reconnect during wrap-up) when there is no new one; out of a call and its wrap-up, none.
          const busy = now.call || ['offered', 'onCall', 'wrapUp'].includes(now.agent?.state);
          setPop((old) => now.pop ?? (busy ? old : null));
          setCall(now.call);
          setCodes(now.dispositionCodes ?? []);
          setWrapUpSeconds(now.wrapUpSeconds ?? 0);
        } catch (e) {
          setError({ message: refusal(e), at: new Date() });
        }
        loadHistory();
        loadEmailTasks();
      },
    });
    return () => connection.current?.stop();
  }, [loadHistory, loadEmailTasks]);

  /** Invokes a hub method; a refusal becomes the desk's last error. Returns true when it went through. */
  const act = useCallback(async (method, ...args) => {
    try {
      await connection.current.invoke(method, ...args);
      return true;
    } catch (e) {
      setError({ message: refusal(e), at: new Date() });
      return false;
    }
  }, []);

  // Click-to-dial (pop, history): the hub rings the agent's own phone, then the number; a refusal is the last error.
  const [dialing, setDialing] = useState(null);
  const dial = async (number) => {
    setDialing(null);
    if (await act('dial', number)) setDialing(number);
  };

  const signOff = async () => {
    if (await act('setState', 'offline', null)) await signOut();
  };

  // The tab's title says who is ringing, so an agent in another window sees the offer.
  useEffect(() => {
    const ringing = call?.state === 'ringing' && pop?.callId === call.callId;
    document.title = ringing ? `☎ ${pop.name ?? pop.caller} · ${t('desk')}` : `${t('desk')} · ${t('appName')}`;
  }, [call, pop]);

  const wrapUpCallId = agent?.state === 'wrapUp' ? (agent.callId ?? call?.callId ?? pop?.callId) : (call?.state === 'ended' ? call.callId : null);
  const wrapUp = async (code, notes) => {
    if (await act('wrapUp', wrapUpCallId, code, notes)) {
      setWrappedUp(wrapUpCallId);
      loadHistory();
    }
  };

  return (
    <>
      <Header page="desk" status={status} />
      <main class="desk">
        <AgentStatePanel agent={agent} onState={(state, reason) => act('setState', state, reason)} onSignOff={signOff} />
        <div class="desk-columns">
          <div class="desk-main">
            <PopPanel pop={pop} live={call && call.state !== 'ended' && call.callId === pop?.callId} onDial={dial} />
            {dialing && <p class="notice" data-testid="dial-notice">{t('dialRinging')} {dialing}</p>}
            {wrapUpCallId && wrappedUp !== wrapUpCallId && (
              <WrapUpPanel key={wrapUpCallId} agent={agent} codes={codes} wrapUpSeconds={wrapUpSeconds} onSubmit={wrapUp} />
            )}
            {wrappedUp && wrappedUp === wrapUpCallId && <p class="notice">{t('wrapUpDone')}</p>}
            <PhonePanel call={call} act={act} />
            <CallPanel call={call} act={act} />
            <PreviewPanel connection={connection} connected={status === 'connected'} onError={(message) => setError({ message, at: new Date() })} />
            <EmailPanel
              tasks={emailTasks}
              onReply={async (id, text) => (await act('replyEmail', id, text)) && (await loadEmailTasks(), true)}
              onAccept={async (id) => (await act('acceptEmail', id)) && (await loadEmailTasks(), true)}
              onDecline={async (id) => (await act('declineEmail', id)) && (await loadEmailTasks(), true)}
            />
          </div>
          <div class="desk-side">
            <section class="panel error-panel">
              <h2>{t('lastError')}</h2>
              <p class={error ? 'error' : 'muted'}>
                <span data-testid="desk-error">{error?.message ?? ''}</span>
                {!error && t('none')}
              </p>
              {error && <p class="muted small">{error.at.toLocaleTimeString()} <button type="button" class="link" onClick={() => setError(null)}>×</button></p>}
            </section>
            <HistoryPanel history={history} onRefresh={loadHistory} onDial={dial} />
            <CallbackPanel connection={connection} connected={status === 'connected'} number={pop?.caller} onError={(message) => setError({ message, at: new Date() })} />
          </div>
        </div>
      </main>
      <footer class="footer">{t('agent')} {session.agent}</footer>
    </>
  );
}
