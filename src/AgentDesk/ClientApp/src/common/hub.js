// One SignalR connection per page: reconnects by itself, tells the page when it is (re)connected so
// the page can fetch its state again, and sends the browser to the sign-in page when the session
// has expired (the server closes the hub then, and negotiate answers 401).
import { HubConnectionBuilder, LogLevel } from '@microsoft/signalr';
import { sessionAlive, toSignIn } from './session.js';

const retryDelays = [0, 1000, 2000, 5000, 10000];

/**
 * @param {string} url the hub's path
 * @param {Record<string, Function>} handlers server → client methods
 * @param {{ onConnected: (connection) => void, onStatus: (status: string) => void }} events
 */
export function startHub(url, handlers, { onConnected, onStatus }) {
  const connection = new HubConnectionBuilder()
    .withUrl(url)
    .withAutomaticReconnect({
      nextRetryDelayInMilliseconds(context) {
        // A 401 while reconnecting means the session is over: stop, onclose sends us to sign in.
        if (context.retryReason?.statusCode === 401) return null;
        return retryDelays[Math.min(context.previousRetryCount, retryDelays.length - 1)];
      },
    })
    .configureLogging(LogLevel.Warning)
    .build();

  for (const [name, handler] of Object.entries(handlers)) connection.on(name, handler);

  connection.onreconnecting(() => onStatus('reconnecting'));
  connection.onreconnected(() => {
    onStatus('connected');
    onConnected(connection);
  });
  connection.onclose(async () => {
    onStatus('disconnected');
    if (!(await sessionAlive())) {
      toSignIn();
      return;
    }
    setTimeout(start, 5000);
  });

  async function start() {
    onStatus('connecting');
    try {
      await connection.start();
      onStatus('connected');
      onConnected(connection);
    } catch (error) {
      onStatus('disconnected');
      if (error?.statusCode === 401 || !(await sessionAlive())) {
        toSignIn();
        return;
      }
      setTimeout(start, 5000);
    }
  }

  start();
  return connection;
}

/**
 * The sentence a refused hub call carries. The server's HubException reaches the client as
 * "An unexpected error occurred invoking 'x' on the server. HubException: <sentence>".
 */
export function refusal(error) {
  const message = String(error?.message ?? error);
  const marker = 'HubException: ';
  const at = message.indexOf(marker);
  return at >= 0 ? message.slice(at + marker.length) : message;
}

/**
 * Runs a panel's hub call with the panel busy meanwhile: its message cleared first, then text(answer)
 * shown and after(answer) awaited (reading the panel's list again), or the server's refusal shown
 * when the call or after() fails.
 */
export async function hubAction(setBusy, setMessage, call, text, after) {
  setMessage(null);
  setBusy(true);
  try {
    const answer = await call();
    setMessage({ error: false, text: text(answer) });
    await after(answer);
  } catch (err) {
    setMessage({ error: true, text: refusal(err) });
  } finally {
    setBusy(false);
  }
}
