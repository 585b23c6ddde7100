#!/usr/bin/env bash
# Concurrent IVR sessions (issue 3): the platform (Release) on loopback, sipp callers that each
# listen to the hotline's prompts, press 1 and 0 as RFC 4733 events from sipp's captures and wait
# in the queue with music on hold, SESSIONS of them at once. Reports, over a 10 s window at the
# plateau: concurrent sessions, the platform's CPU per session, allocated bytes per RTP packet;
# and for the run: the media clock's p50/p99/max lateness and the digits missed (calls whose
# record does not show both keys, i.e. did not reach the queue).
# Usage: bench/ivr-sessions.sh   Env: SESSIONS (1000), RATE (new calls/s, 100), HOLD_MS (30000),
#   SETTLE (s to wait after the last call was placed before the window, 8; raise it with HOLD_MS on a busy
#   machine, where the last calls' set-up otherwise falls into the window)
set -euo pipefail
cd "$(dirname "$0")/.."
sessions=${SESSIONS:-1000}
rate=${RATE:-100}
hold_ms=${HOLD_MS:-30000}
settle=${SETTLE:-8}
# The general queue holds 200 callers by default (then it books callbacks): lift it above SESSIONS.
PLATFORM_ARGS="--Routing:Queues:general:MaxLength=$((sessions * 2)) ${PLATFORM_ARGS:-}"
. bench/platform.sh

ulimit -n 65536 2>/dev/null || true
(cd "$work" && sipp -sf "$OLDPWD/bench/scenarios/ivr-session.xml" "127.0.0.1:$port" -s 95500 -i 127.0.0.1 \
   -m "$sessions" -l "$sessions" -r "$rate" -d "$hold_ms" -mp 40000 -nostdin -trace_stat -stf stats.csv \
   -timeout $((sessions / rate + hold_ms / 1000 + 60))s >sipp.log 2>&1) &
sipp_pid=$!

# The plateau: every session placed and past its key presses.
sleep $((sessions / rate + settle))
health >"$work/before.json"
cpu_before=$(awk '{print $14+$15}' "/proc/$platform/stat"); t0=$(date +%s.%N)
sleep 10
health >"$work/after.json"
cpu_after=$(awk '{print $14+$15}' "/proc/$platform/stat"); t1=$(date +%s.%N)
wait $sipp_pid || true
health >"$work/final.json"
curl -sf -H 'X-Api-Key: demo-api-key' "http://127.0.0.1:$http/api/calls?limit=1000" >"$work/records.json"

python3 - "$work/before.json" "$work/after.json" "$work/final.json" "$work/records.json" "$cpu_before" "$cpu_after" "$t0" "$t1" "$sessions" "$work/stats.csv" <<'PY'
import csv, json, os, sys
b, a, f, recs = (json.load(open(x)) for x in sys.argv[1:5])
cb, ca, t0, t1 = int(sys.argv[5]), int(sys.argv[6]), float(sys.argv[7]), float(sys.argv[8])
sessions = int(sys.argv[9])
rows = list(csv.reader(open(sys.argv[10]), delimiter=";"))
ok = int(rows[-1][rows[0].index("SuccessfulCall(C)")]); failed = int(rows[-1][rows[0].index("FailedCall(C)")])
concurrent = a["calls"]["active"]
cpu_core = (ca - cb) / os.sysconf("SC_CLK_TCK") / (t1 - t0)
packets = (a["media"]["rtpPacketsSent"] - b["media"]["rtpPacketsSent"]) + (a["media"]["rtpPacketsReceived"] - b["media"]["rtpPacketsReceived"])
alloc = a["process"]["allocatedBytes"] - b["process"]["allocatedBytes"]
queued = sum(1 for r in recs if r.get("queue") == "general")
print(f"sessions placed            {sessions} (sipp: {ok} ok, {failed} failed)")
print(f"concurrent at the plateau  {concurrent}")
print(f"platform CPU               {cpu_core * 100:.0f} % of one core = {cpu_core * 1e6 / max(concurrent, 1):.0f} µs CPU per session-second")
print(f"RTP packets / s            {packets / (t1 - t0):.0f} (sent + received)")
print(f"allocated per packet       {alloc / max(packets, 1):.1f} bytes")
m = f["media"]
print(f"clock lateness             p50 {m['clockLatenessP50Ms']} ms, p99 {m['clockLatenessP99Ms']} ms, max {m['clockLatenessMaxMs']:.1f} ms")
print(f"digits detected            {m['digitsDetected']} of {2 * sessions} sent")
# The API returns at most the newest 1,000 records: the check covers those.
print(f"calls that reached queue   {queued} of the newest {len(recs)} records (missed: {len(recs) - queued})")
PY
