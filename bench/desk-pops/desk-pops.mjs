// Pop delivery to agent desks and wallboard lag for supervisors (issue 5 item 7), over the platform's
// SignalR hubs with the official client, as bench/desk-pops.sh drives it (bench/README.md).
//
// Signs N agents in through /desk/signin (the anti-forgery form, like a browser), opens one
// /hubs/agent connection each and, in a worker thread of its own so that its JSON parsing does not
// delay the agents' messages, S /hubs/wallboard connections as a supervisor. Then it follows
// commands on standard input, one a line, and answers each on standard output:
//   available  every agent calls setState("available")  -> "available <ok> <refused> [first refusal]"
//   start      a measuring round begins (counters reset) -> "started"
//   end        the round ends                            -> "ROUND <json>"
//   quit       connections closed, exit
// The pop delay is now - pop.offeredAt, the wallboard lag now - view.at: the platform and this
// script read the same machine clock.
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import * as signalR from "@microsoft/signalr";

const nowMs = () => performance.timeOrigin + performance.now();

// ISO 8601 with up to 7 fractional digits (System.Text.Json's DateTimeOffset) to epoch ms, sub-ms kept.
function isoMs(text) {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(.*)$/.exec(text);
  if (!m) return Number.NaN;
  return Date.parse(m[1] + (m[3] || "Z")) + (m[2] ? Number("0." + m[2]) * 1000 : 0);
}

function percentile(sorted, q) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function summary(values) {
  const s = Float64Array.from(values).sort();
  return {
    count: s.length,
    median: percentile(s, 0.5),
    p95: percentile(s, 0.95),
    p99: percentile(s, 0.99),
    max: s.length ? s[s.length - 1] : null,
  };
}

// Runs fn over items with at most `width` at once.
async function pool(items, width, fn) {
  let next = 0;
  const results = new Array(items.length);
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  }));
  return results;
}

// The attribute as the page's HTML encoder wrote it (numeric references and &amp;).
const htmlDecode = (text) =>
  text.replace(/&#x([0-9a-f]+);/gi, (_, hex) => String.fromCodePoint(parseInt(hex, 16))).replaceAll("&quot;", '"').replaceAll("&amp;", "&");

const cookiesOf = (response) => response.headers.getSetCookie().map((c) => c.split(";")[0]);

// GET the sign-in form, keep its anti-forgery cookie and hidden token, POST the login: the desk cookie.
async function signIn(base, login, password) {
  const page = await fetch(`${base}/desk/signin`);
  const html = await page.text();
  const hidden = [...html.matchAll(/<input\b[^>]*>/g)].map((m) => m[0]).find((tag) => /type="hidden"/.test(tag));
  const name = hidden && /name="([^"]+)"/.exec(hidden)?.[1];
  const value = hidden && /value="([^"]*)"/.exec(hidden)?.[1];
  if (!name || value === undefined) throw new Error(`no anti-forgery token on /desk/signin (${page.status})`);
  const form = new URLSearchParams({ [name]: htmlDecode(value), login, password });
  const response = await fetch(`${base}/desk/signin`, {
    method: "POST",
    body: form,
    redirect: "manual",
    headers: { Cookie: cookiesOf(page).join("; "), Origin: base },
  });
  const desk = cookiesOf(response).filter((c) => c.startsWith(".CallCenter.Desk"));
  if (response.status !== 302 || desk.length === 0) throw new Error(`sign-in of ${login} answered ${response.status}`);
  return desk.join("; ");
}

async function connect(base, hub, cookie, handlers) {
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(`${base}${hub}`, {
      // Straight to the WebSocket, with the browser's Origin (the hubs refuse other origins).
      transport: signalR.HttpTransportType.WebSockets,
      skipNegotiation: true,
      headers: { Cookie: cookie, Origin: base },
    })
    .configureLogging(signalR.LogLevel.Error)
    .build();
  // A loaded machine stalls the loop now and then; do not count that as a dead server.
  connection.serverTimeoutInMilliseconds = 120_000;
  connection.keepAliveIntervalInMilliseconds = 15_000;
  for (const [name, fn] of Object.entries(handlers)) connection.on(name, fn);
  await connection.start();
  return connection;
}

async function signInAndConnect(options, items, hub, handlersOf) {
  const failures = [];
  const connections = await pool(items, options.width, async (item) => {
    try {
      const cookie = await signIn(options.base, item.login, item.password);
      return await connect(options.base, hub, cookie, handlersOf(item));
    } catch (error) {
      failures.push(`${item.login}: ${error.message}`);
      return null;
    }
  });
  return { connections, failures };
}

// ---------------------------------------------------------------- supervisors (worker thread)
async function supervisors() {
  const options = workerData;
  const state = { lags: [], perConnection: [], started: 0 };
  const items = Array.from({ length: options.supervisors }, (_, i) => ({ i, login: options.superLogin, password: options.superPassword }));
  const { connections, failures } = await signInAndConnect(options, items, "/hubs/wallboard", (item) => {
    state.perConnection[item.i] = { count: 0, last: 0, maxGap: 0, late: 0 };
    return {
      wallboard: (view) => {
        if (!state.started) return;
        const now = nowMs();
        const c = state.perConnection[item.i];
        const lag = now - isoMs(view.at);
        state.lags.push(lag);
        if (lag > options.lateMs) c.late++;
        if (c.last) c.maxGap = Math.max(c.maxGap, now - c.last);
        c.last = now;
        c.count++;
      },
      agentState: () => {},
    };
  });
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  parentPort.postMessage({ type: "connected", ok: connections.filter(Boolean).length, failures });
  parentPort.on("message", async (message) => {
    if (message === "start") {
      state.lags = [];
      for (const c of state.perConnection) if (c) Object.assign(c, { count: 0, last: 0, maxGap: 0, late: 0 });
      loop.reset();
      state.started = nowMs();
    } else if (message === "end") {
      const seconds = (nowMs() - state.started) / 1000;
      const live = state.perConnection.filter((c, i) => c && connections[i]);
      const rates = live.map((c) => c.count / seconds);
      const lag = summary(state.lags);
      parentPort.postMessage({
        type: "round",
        wallboard: {
          connections: live.length,
          seconds,
          messages: state.lags.length,
          lagMs: lag,
          minRatePerSecond: rates.length ? Math.min(...rates) : 0,
          maxGapMs: live.length ? Math.max(...live.map((c) => c.maxGap)) : null,
          lateMessages: live.reduce((s, c) => s + c.late, 0),
          // Behind: a view older than lateMs, or a connection with fewer than ~1 view a second.
          fellBehind: live.some((c) => c.late > 0 || c.count / seconds < 0.9),
          eventLoopDelayP99Ms: loop.percentile(99) / 1e6,
        },
      });
      state.started = 0;
    } else if (message === "quit") {
      await Promise.all(connections.filter(Boolean).map((c) => c.stop()));
      process.exit(0);
    }
  });
}

// ---------------------------------------------------------------- agents (main thread)
async function main() {
  const { values } = parseArgs({
    options: {
      base: { type: "string" },
      first: { type: "string", default: "70000" },
      agents: { type: "string", default: "2000" },
      password: { type: "string", default: "bench-desk" },
      supervisors: { type: "string", default: "50" },
      "super-login": { type: "string", default: "super" },
      "super-password": { type: "string", default: "demo-super" },
      width: { type: "string", default: "8" },
      "late-ms": { type: "string", default: "1500" },
    },
  });
  if (!values.base) throw new Error("--base http://127.0.0.1:PORT is required");
  const options = {
    base: values.base.replace(/\/$/, ""),
    width: Number(values.width),
    supervisors: Number(values.supervisors),
    superLogin: values["super-login"],
    superPassword: values["super-password"],
    lateMs: Number(values["late-ms"]),
  };
  const say = (line) => process.stdout.write(line + "\n");

  const started = nowMs();
  const worker = options.supervisors > 0 ? new Worker(new URL(import.meta.url), { workerData: options }) : null;
  const fromWorker = [];
  let waiting = null;
  worker?.on("message", (m) => (waiting ? (waiting(m), (waiting = null)) : fromWorker.push(m)));
  worker?.on("error", (e) => { say(`worker failed: ${e.stack}`); process.exit(1); });
  const workerMessage = () => (fromWorker.length ? Promise.resolve(fromWorker.shift()) : new Promise((r) => (waiting = r)));

  const round = { delays: [], wrongAgent: 0, started: 0 };
  const first = Number(values.first);
  const items = Array.from({ length: Number(values.agents) }, (_, i) => ({ login: String(first + i), password: values.password }));
  const { connections, failures } = await signInAndConnect(options, items, "/hubs/agent", (item) => ({
    pop: (pop) => {
      if (!round.started) return;
      round.delays.push(nowMs() - isoMs(pop.offeredAt));
      if (pop.agent !== item.login) round.wrongAgent++;
    },
    callState: () => {},
    agentState: () => {},
  }));
  const live = connections.filter(Boolean);
  const supervisorsConnected = worker ? await workerMessage() : { ok: 0, failures: [] };
  say(`connected ${live.length} ${supervisorsConnected.ok} in ${((nowMs() - started) / 1000).toFixed(1)} s`);
  for (const f of [...failures.slice(0, 3), ...supervisorsConnected.failures.slice(0, 3)]) say(`  refused: ${f}`);

  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  for await (const line of createInterface({ input: process.stdin })) {
    const command = line.trim();
    if (command === "available") {
      const refusals = [];
      await pool(live, 16, async (c) => {
        try {
          await c.invoke("setState", "available", null);
        } catch (error) {
          refusals.push(error.message);
        }
      });
      say(`available ${live.length - refusals.length} ${refusals.length}${refusals.length ? " " + refusals[0] : ""}`);
    } else if (command === "start") {
      Object.assign(round, { delays: [], wrongAgent: 0, started: nowMs() });
      loop.reset();
      worker?.postMessage("start");
      say("started");
    } else if (command === "end") {
      const seconds = (nowMs() - round.started) / 1000;
      round.started = 0;
      worker?.postMessage("end");
      const wallboard = worker ? (await workerMessage()).wallboard : null;
      const result = {
        agents: live.length,
        seconds,
        pops: summary(round.delays),
        popsToTheWrongAgent: round.wrongAgent,
        eventLoopDelayP99Ms: loop.percentile(99) / 1e6,
        wallboard,
      };
      say("ROUND " + JSON.stringify(result));
    } else if (command === "quit") {
      worker?.postMessage("quit");
      await Promise.all(live.map((c) => c.stop()));
      process.exit(0);
    }
  }
}

if (isMainThread) {
  main().catch((error) => {
    process.stdout.write(`failed: ${error.stack}\n`);
    process.exit(1);
  });
} else {
  supervisors().catch((error) => {
    parentPort.postMessage({ type: "connected", ok: 0, failures: [error.message] });
  });
}
