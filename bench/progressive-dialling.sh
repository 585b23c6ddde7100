#!/usr/bin/env bash
# Progressive dialling of a call list (issue 15 item 8): the platform (Release, its own SQLite in a
# temporary folder, logs at Warning) on loopback with AGENTS bench agents (extensions 71000 + i,
# skills zh,en) whose phones are one sipp UAS that answers every offer at once and stays on the line
# until the platform hangs up; a trunk to a sipp carrier that answers a share ANSWER of the calls
# (a uniform draw per call; the rest are refused 486 Busy Here) and hangs up after TALK_MS.
# Each of RUNS runs imports ENTRIES entries into a new progressive list (maxAttempts 1) and waits
# until every entry is reached or failed, then reports:
#   - abandoned: clients who answered while no agent was bridged to their call (from the event log:
#     call.client-answered without an earlier call.bridged on the same call), and their rate;
#   - answer → bridge: from the carrier's 200 OK to the platform's ACK (sipp's response time 1, per
#     call with -trace_rtt); the platform sends that ACK in the step that joins the client to the
#     agent already on the call, so it is the client's wait for a voice;
#   - the most client lines at once (entries "calling", sampled every 0.5 s) against the agents;
#   - entries finished a minute, and the agent seconds each unanswered attempt cost (agent answered
#     → client failed).
# Usage: bench/progressive-dialling.sh
# Env:   AGENTS (100), ENTRIES (600), ANSWER (0.6), TALK_MS (5000), RUNS (3), KEEP=1 (keep the work folder)
set -euo pipefail
cd "$(dirname "$0")/.."
agents=${AGENTS:-100}
entries=${ENTRIES:-600}
answer=${ANSWER:-0.6}
talk_ms=${TALK_MS:-5000}
runs=${RUNS:-3}
first=71000
password=bench-dial
ulimit -n 65536 2>/dev/null || true

free_udp() { python3 -c 'import socket
for _ in range(100):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]
    if p % 2 == 0 and p < 65000:
        t = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            t.bind(("127.0.0.1", p + 1)); print(p); break
        except OSError: pass'; }
carrier_port=$(free_udp)
agent_port=$(free_udp)
RTP_MIN=${RTP_MIN:-20000} RTP_MAX=${RTP_MAX:-29999}
PLATFORM_ARGS="--Agents:WrapUpSeconds=1 --Callbacks:RingSeconds=20 --Trunks:0:Name=carrier --Trunks:0:Address=127.0.0.1:$carrier_port
  --Trunks:0:Transport=udp --Trunks:0:CallerId=95500 --Outbound:TimeZone=UTC --Outbound:CallingHoursStart=00:00 --Outbound:CallingHoursEnd=23:59"
carrier_sipp= agent_sipp=
. bench/platform.sh
cleanup() {
  for p in $carrier_sipp $agent_sipp; do kill "$p" 2>/dev/null || true; done
  platform_stop
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
api() { curl -s -H 'X-Api-Key: demo-api-key' "$@"; }

# The agents, made through the admin API, then registered (all with the agents' sipp as contact) and made available.
for i in $(seq 0 $((agents - 1))); do
  code=$(api -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
    --data "{\"name\": \"Bench $((first + i))\", \"skills\": [\"zh\", \"en\"], \"password\": \"$password\"}" "http://127.0.0.1:$http/api/admin/agents/$((first + i))")
  [[ "$code" == 2* ]] || { echo "PUT /api/admin/agents/$((first + i)) answered $code" >&2; exit 1; }
done
sed -e "s|{ANSWER}|$answer|" -e "s|{TALK_MS}|$talk_ms|" bench/scenarios/dialler-carrier.xml >"$work/carrier.xml"
mkdir -p "$work/carrier" "$work/agent" "$work/register"
(cd "$work/carrier" && exec sipp -sf "$work/carrier.xml" -i 127.0.0.1 -p "$carrier_port" -mp "$(free_udp)" -nostdin \
   -trace_stat -stf stats.csv -fd 1 -trace_rtt -rtt_freq 1 -trace_err >sipp.log 2>&1) &
carrier_sipp=$!
(cd "$work/agent" && exec sipp -sf "$OLDPWD/bench/scenarios/dialler-agent.xml" -i 127.0.0.1 -p "$agent_port" -mp "$(free_udp)" -nostdin \
   -trace_stat -stf stats.csv -fd 1 >sipp.log 2>&1) &
agent_sipp=$!
sleep 1
for p in $carrier_sipp $agent_sipp; do kill -0 "$p" 2>/dev/null || { echo "a sipp did not start:" >&2; tail -5 "$work"/*/sipp.log >&2; exit 1; }; done
{ echo SEQUENTIAL; for i in $(seq 0 $((agents - 1))); do echo "$((first + i));$password;[authentication username=$((first + i)) password=$password]"; done; } >"$work/agents.csv"
(cd "$work/register" && sipp -sf "$OLDPWD/bench/scenarios/bridged-register.xml" "127.0.0.1:$port" -i 127.0.0.1 \
   -inf "$work/agents.csv" -key contact_port "$agent_port" -m "$agents" -r 100 -l 100 -nostdin -timeout 60s >sipp.log 2>&1) || true
sleep 1
for i in $(seq 0 $((agents - 1))); do
  code=$(api -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' --data '{"state": "available"}' "http://127.0.0.1:$http/api/agents/$((first + i))/state")
  [ "$code" = 200 ] || { echo "agent $((first + i)) could not be made available ($code; registration: $work/register/sipp.log)" >&2; exit 1; }
done
echo "$agents agents registered and available; load $(cut -d' ' -f1-3 /proc/loadavg)" >&2

for r in $(seq 1 "$runs"); do
  list=$(api -H 'Content-Type: application/json' --data "{\"name\": \"bench run $r\", \"kind\": \"general\", \"maxAttempts\": 1}" "http://127.0.0.1:$http/api/call-lists" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
  { echo number; for i in $(seq 1 "$entries"); do printf '139%02d%06d\n' "$r" "$i"; done; } >"$work/run-$r.csv"
  rtt_before=$( (cat "$work"/carrier/*_rtt.csv 2>/dev/null || true) | wc -l)
  t0=$(date +%s.%N); since_ms=$(date +%s%3N)
  imported=$(api -H 'Content-Type: text/csv' --data-binary @"$work/run-$r.csv" "http://127.0.0.1:$http/api/call-lists/$list/entries" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["imported"])')
  [ "$imported" = "$entries" ] || { echo "run $r: imported $imported of $entries" >&2; exit 1; }
  : >"$work/samples-$r.txt"
  while :; do
    api "http://127.0.0.1:$http/api/call-lists/$list/entries" >"$work/entries-$r.json"
    # (A slow answer under load is read again at the next sample.)
    read -r calling done_ < <(python3 -c 'import json, sys
try:
    e = json.load(open(sys.argv[1])); print(sum(x["status"] == "calling" for x in e), sum(x["status"] in ("reached", "failed", "refused") for x in e))
except ValueError:
    print(0, -1)' "$work/entries-$r.json") || { sleep 0.2; continue; }
    echo "$calling" >>"$work/samples-$r.txt"
    [ "$done_" -ge "$entries" ] && break
    sleep 0.2
  done
  t1=$(date +%s.%N)
  sleep 3 # the last calls' records and events are written off the call path
  python3 - "$work" "$r" "$since_ms" "$t0" "$t1" "$agents" "$entries" "$(cut -d' ' -f1-3 /proc/loadavg)" "$rtt_before" <<'PY' | tee -a "$work/results.txt"
import glob, json, os, sqlite3, statistics, sys
w, r, since, t0, t1, agents, entries, load = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]), sys.argv[8]
rtt_before = int(sys.argv[9])
db = sqlite3.connect(f"file:{w}/cc.db?mode=ro", uri=True)
rows = db.execute("SELECT call_id, kind, at_ms FROM events WHERE at_ms >= ? AND kind IN ('call.bridged', 'call.client-answered', 'call.client-failed')", (since,)).fetchall()
calls = {}
for call, kind, at in rows:
    calls.setdefault(call, {}).setdefault(kind, at)
answered = [c for c in calls.values() if "call.client-answered" in c]
abandoned = [c for c in answered if not ("call.bridged" in c and c["call.bridged"] <= c["call.client-answered"])]
wasted = [(c["call.client-failed"] - c["call.bridged"]) / 1000 for c in calls.values() if "call.client-failed" in c and "call.bridged" in c]
statuses = [e["status"] for e in json.load(open(f"{w}/entries-{r}.json"))]
# sipp's per-call response times (Date_ms counts from sipp's start): this run's are the lines written since it began.
rtt = []
for f in glob.glob(f"{w}/carrier/*_rtt.csv"):
    for line in list(open(f))[rtt_before:]:
        parts = line.strip().split(";")
        if len(parts) >= 3 and parts[0].replace(".", "").isdigit():
            rtt.append(float(parts[1]))
peak = max(int(x) for x in open(f"{w}/samples-{r}.txt") if x.strip())
q = lambda xs, p: sorted(xs)[min(len(xs) - 1, int(p * len(xs)))] if xs else float("nan")
res = dict(run=r, entries=entries, reached=statuses.count("reached"), failed=statuses.count("failed"), answered=len(answered), abandoned=len(abandoned),
           abandonRate=len(abandoned) / len(answered) if answered else None, answerToBridgeMs=dict(median=q(rtt, 0.5), p95=q(rtt, 0.95), max=max(rtt) if rtt else None, n=len(rtt)),
           peakLines=peak, agents=agents, perMinute=entries / (t1 - t0) * 60, wastedAgentSecondsMedian=statistics.median(wasted) if wasted else None, load=load)
open(f"{w}/run-{r}.json", "w").write(json.dumps(res))
print(f"run {r}: {entries} entries in {t1 - t0:.0f} s ({res['perMinute']:.0f}/min): reached {res['reached']}, failed {res['failed']}; "
      f"answered {len(answered)}, abandoned {len(abandoned)} ({(res['abandonRate'] or 0) * 100:.2f} %); answer -> bridge median {res['answerToBridgeMs']['median']:.1f} ms, "
      f"p95 {res['answerToBridgeMs']['p95']:.1f} ms, max {res['answerToBridgeMs']['max'] or 0:.1f} ms ({len(rtt)} calls); most client lines at once {peak} for {agents} agents; "
      f"agent seconds per unanswered attempt (median) {res['wastedAgentSecondsMedian'] or 0:.2f}; load {load}")
PY
done
python3 - "$work" "$runs" <<'PY'
import json, statistics, sys
rs = [json.load(open(f"{sys.argv[1]}/run-{r}.json")) for r in range(1, int(sys.argv[2]) + 1)]
m = lambda f: statistics.median(f(x) for x in rs)
print(f"median of {len(rs)} runs: abandon rate {m(lambda x: x['abandonRate'] or 0) * 100:.2f} %, answer -> bridge median {m(lambda x: x['answerToBridgeMs']['median']):.1f} ms, "
      f"p95 {m(lambda x: x['answerToBridgeMs']['p95']):.1f} ms; contact rate {m(lambda x: x['reached'] / x['entries']) * 100:.0f} %; "
      f"{m(lambda x: x['perMinute']):.0f} entries/min; most lines at once {max(x['peakLines'] for x in rs)} (agents {rs[0]['agents']})")
PY
