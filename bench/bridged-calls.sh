#!/usr/bin/env bash
# Concurrent bridged calls (issue 4 b): the platform (Release) on loopback with AGENTS bench agents
# (extensions 70000 + i, skills zh,en,vip: the VIP line's queue takes agents with the vip skill) whose phones are one sipp UAS; CALLS sipp callers ring the
# VIP line at RATE per second, hear the greeting, are offered to an agent, answered at once, bridged
# through the RTP relay and recorded; both sides stream A-law for the whole call (sipp rtp_stream,
# looped), and the caller hangs up TALK_S seconds after the greeting. At the plateau (every call
# placed and bridged) it measures over WINDOW_S: bridged calls, the platform's CPU per relayed RTP
# packet, RSS per call and the packet rates; for the run: failed calls on both sipp sides, the
# relay's counters (samples lost inside the relay must be 0), the media clock's lateness and skipped
# ticks (in the window and over the run), and the recordings written.
# Usage: bench/bridged-calls.sh
# Env:   CALLS (1000), RATE (new calls/s, 50), TALK_S (60), GREETING_S (8: greeting + offer),
#        WINDOW_S (10), AGENTS (CALLS + CALLS/10 + 10), KEEP=1 (keep the work folder: logs, sipp stats)
set -euo pipefail
cd "$(dirname "$0")/.."
calls=${CALLS:-1000}
rate=${RATE:-50}
talk_s=${TALK_S:-60}
greeting_s=${GREETING_S:-8}
window_s=${WINDOW_S:-10}
agents=${AGENTS:-$((calls + calls / 10 + 10))}
ramp_s=$(((calls + rate - 1) / rate))
if [ $((ramp_s + 3 + window_s + 3)) -gt "$talk_s" ]; then
  echo "TALK_S=$talk_s is too short: the ramp takes ${ramp_s} s and the window ${window_s} s (need > $((ramp_s + window_s + 6)))" >&2
  exit 2
fi

# Bench agents in the database, between the platform's first start (migrations, demo seed) and
# the real one. HA1 as RFC 2617 3.2.2.2 (MD5) and RFC 7616 (SHA-256) of ext:realm:password.
prepare_db() {
  python3 - "$1" "$agents" <<'PY'
import hashlib, sqlite3, sys
db, n = sys.argv[1], int(sys.argv[2])
con = sqlite3.connect(db)
rows = []
for i in range(n):
    ext = str(70000 + i); a1 = f"{ext}:callcenter:bench-{ext}".encode()
    rows.append((ext, f"Bench {ext}", "callcenter", hashlib.md5(a1).hexdigest(), hashlib.sha256(a1).hexdigest(), "zh,en,vip"))
con.executemany("INSERT INTO agents (extension, name, sip_realm, sip_ha1_md5, sip_ha1_sha256, skills) VALUES (?, ?, ?, ?, ?, ?)", rows)
con.commit()
PY
}
RTP_MIN=${RTP_MIN:-20000} RTP_MAX=${RTP_MAX:-29999}
PLATFORM_ARGS="--Sip:DigestAlgorithms:0=MD5 --Sip:DigestAlgorithms:1=SHA-256 --Agents:WrapUpSeconds=1
  --Routing:Queues:vip:MaxLength=$((calls * 2)) --Routing:Queues:general:MaxLength=$((calls * 2))"
agent_sipp=
OPEN_VIP_LINE=1 . bench/platform.sh
trap '[ -n "$agent_sipp" ] && kill $agent_sipp 2>/dev/null; platform_stop; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
ulimit -n 65536 2>/dev/null || true

# The voice both sides stream: sipp's A-law capture as raw A-law (7 s), looped by rtp_stream.
python3 - /usr/share/sip-tester/g711a.pcap "$work/voice.alaw" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read(); off = 24; out = bytearray()
while off < len(d):
    incl = struct.unpack("<I", d[off + 8:off + 12])[0]; pkt = d[off + 16:off + 16 + incl]; off += 16 + incl
    ip = 14; udp = ip + (pkt[ip] & 15) * 4
    out += pkt[udp + 8 + 12:]
open(sys.argv[2], "wb").write(out)
PY
for s in agent caller; do sed "s|{VOICE}|$work/voice.alaw|" "bench/scenarios/bridged-$s.xml" >"$work/$s.xml"; done

# One sipp UAS answers for every agent; each agent registers it as its contact.
agent_port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$work/agent"
(cd "$work/agent" && exec sipp -sf "$work/agent.xml" -i 127.0.0.1 -p "$agent_port" -mp 50000 -nostdin \
   -trace_stat -stf stats.csv -fd 1 >sipp.log 2>&1) &
agent_sipp=$!
{ echo SEQUENTIAL; for i in $(seq 0 $((agents - 1))); do echo "$((70000 + i));bench-$((70000 + i));[authentication username=$((70000 + i)) password=bench-$((70000 + i))]"; done; } >"$work/agents.csv"
mkdir -p "$work/register"
(cd "$work/register" && sipp -sf "$OLDPWD/bench/scenarios/bridged-register.xml" "127.0.0.1:$port" -i 127.0.0.1 \
   -inf "$work/agents.csv" -key contact_port "$agent_port" -m "$agents" -r 200 -l 200 -nostdin \
   -trace_stat -stf stats.csv -timeout 120s >sipp.log 2>&1) || true
available=$(python3 - "$http" "$agents" <<'PY'
import sys, urllib.request
http, n, ok = sys.argv[1], int(sys.argv[2]), 0
for i in range(n):
    req = urllib.request.Request(f"http://127.0.0.1:{http}/api/agents/{70000 + i}/state", data=b'{"state":"available"}', method="POST",
                                 headers={"X-Api-Key": "demo-api-key", "Content-Type": "application/json"})
    try:
        urllib.request.urlopen(req).close(); ok += 1
    except Exception:
        pass
print(ok)
PY
)
echo "agents available: $available of $agents" >&2
[ "$available" -ge "$calls" ] || { echo "not enough agents available (registration: $work/register/sipp.log)" >&2; exit 1; }

sleep 2
health >"$work/idle.json"
# The kernel's UDP counters (every process on the machine): datagrams dropped because a socket's
# receive buffer was full (a reader too slow: the platform or sipp) or its send buffer.
udp_errors() { awk '/^Udp:/ { if (!h) { for (i = 2; i <= NF; i++) n[$i] = i; h = 1 } else print $n["RcvbufErrors"], $n["SndbufErrors"] }' /proc/net/snmp; }
udp_before=$(udp_errors)
rss_idle=$(awk '/^VmRSS/ {print $2}' "/proc/$platform/status")

mkdir -p "$work/caller"
(cd "$work/caller" && exec sipp -sf "$work/caller.xml" "127.0.0.1:$port" -s 95501 -i 127.0.0.1 -mp 40000 \
   -m "$calls" -l "$calls" -r "$rate" -d $(((greeting_s + talk_s) * 1000)) -nostdin -trace_stat -stf stats.csv -fd 1 \
   -timeout $((ramp_s + greeting_s + talk_s + 60))s >sipp.log 2>&1) &
caller_sipp=$!

# The plateau: every call placed, past the greeting and bridged.
sleep $((ramp_s + greeting_s + 3))
# Per-thread CPU (tid, name, ticks): the busiest threads show what limits (the media clock is one thread).
# (stat's second field, the name in parentheses, may hold blanks: fields are counted after it.)
threads() { for t in /proc/$platform/task/*; do echo "${t##*/};$(tr ' ' _ <"$t/comm");$(sed 's/.*) //' "$t/stat" | awk '{print $12+$13}')"; done 2>/dev/null; }
health >"$work/before.json"
threads >"$work/threads-before.txt"
cpu_before=$(awk '{print $14+$15}' "/proc/$platform/stat"); sys_before=$(awk '{print $15}' "/proc/$platform/stat"); t0=$(date +%s.%N)
sipp_cpu_before=$(cat "/proc/$agent_sipp/stat" "/proc/$caller_sipp/stat" 2>/dev/null | awk '{s += $14 + $15} END {print s}')
sleep "$window_s"
health >"$work/after.json"
threads >"$work/threads-after.txt"
# Datagrams each open socket has dropped so far (/proc/net/udp: local port, last column), by owner:
# the platform's RTP range, the callers' sipp (media from 40000) and the agents' (from 50000).
python3 - "$RTP_MIN" "$RTP_MAX" >"$work/socket-drops.txt" <<'PY'
import sys
lo, hi = int(sys.argv[1]), int(sys.argv[2]); d = [0, 0, 0]
for line in open("/proc/net/udp").readlines()[1:]:
    f = line.split(); port = int(f[1].split(":")[1], 16); drops = int(f[-1])
    d[0 if lo <= port <= hi else 1 if 40000 <= port < 50000 else 2 if 50000 <= port < 60000 else 0] += drops if (lo <= port <= hi or 40000 <= port < 60000) else 0
print(*d)
PY
cpu_after=$(awk '{print $14+$15}' "/proc/$platform/stat"); sys_after=$(awk '{print $15}' "/proc/$platform/stat"); t1=$(date +%s.%N)
sipp_cpu_after=$(cat "/proc/$agent_sipp/stat" "/proc/$caller_sipp/stat" 2>/dev/null | awk '{s += $14 + $15} END {print s}')
rss_plateau=$(awk '/^VmRSS/ {print $2}' "/proc/$platform/status")
load=$(cut -d' ' -f1-3 /proc/loadavg)
wait $caller_sipp || true
# The last records wait for the agents' wrap-up (1 s) and the relay totals for the last BYEs.
sleep 4
health >"$work/final.json"
udp_after=$(udp_errors)
curl -sf -H 'X-Api-Key: demo-api-key' "http://127.0.0.1:$http/api/calls?limit=$calls" >"$work/records.json"
# Recording:Directory is "recordings", under the platform's working folder.
# (Not the whole folder: OPEN_VIP_LINE copies config/, with its 354 prompt WAVs, into it.)
rec_count=$(find "$work/recordings" -name '*.wav' 2>/dev/null | wc -l)
rec_bytes=$(find "$work/recordings" -name '*.wav' -printf '%s\n' 2>/dev/null | awk '{s += $1} END {print s + 0}')

python3 - "$work" "$cpu_before" "$cpu_after" "$t0" "$t1" "$calls" "$rss_idle" "$rss_plateau" "$rec_count" "${rec_bytes:-0}" \
  "$sipp_cpu_before" "$sipp_cpu_after" "$load" "$talk_s" "$rate" "$udp_before" "$udp_after" "$sys_before" "$sys_after" <<'PY'
import csv, json, os, sys
w = sys.argv[1]
cb, ca, t0, t1 = int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
calls, rss_idle, rss_plateau, rec_count, rec_bytes = (int(x) for x in sys.argv[6:11])
scb, sca, load, talk_s, rate = int(sys.argv[11]), int(sys.argv[12]), sys.argv[13], int(sys.argv[14]), sys.argv[15]
udp = [int(a) - int(b) for b, a in zip(sys.argv[16].split(), sys.argv[17].split())]
sys_s = (int(sys.argv[19]) - int(sys.argv[18])) / os.sysconf("SC_CLK_TCK")
idle, b, a, f = (json.load(open(os.path.join(w, n + ".json"))) for n in ("idle", "before", "after", "final"))
recs = json.load(open(os.path.join(w, "records.json")))
def sipp(side):
    rows = list(csv.reader(open(os.path.join(w, side, "stats.csv")), delimiter=";"))
    return int(rows[-1][rows[0].index("SuccessfulCall(C)")]), int(rows[-1][rows[0].index("FailedCall(C)")])
c_ok, c_bad = sipp("caller"); a_ok, a_bad = sipp("agent")
secs = t1 - t0; tck = os.sysconf("SC_CLK_TCK")
cpu_s = (ca - cb) / tck
active = a["calls"]["active"]
# Every call is bridged at the plateau: a caller leg and an agent leg each hold an RTP port pair.
ports = a["media"]["rtpPortsInUse"]
sent = a["media"]["rtpPacketsSent"] - b["media"]["rtpPacketsSent"]
recv = a["media"]["rtpPacketsReceived"] - b["media"]["rtpPacketsReceived"]
relay = f["relay"]; m = f["media"]
bridged_records = [r for r in recs if r.get("agent")]
recorded = [r for r in bridged_records if r.get("recording")]
print(f"calls placed               {calls} at {rate}/s, talk {talk_s} s; load average during the window {load}")
print(f"sipp callers               {c_ok} ok, {c_bad} failed ({100.0 * c_bad / max(c_ok + c_bad, 1):.2f} %)")
print(f"sipp agents                {a_ok} ok, {a_bad} failed ({100.0 * a_bad / max(a_ok + a_bad, 1):.2f} %)")
print(f"at the plateau             calls.active {active}, RTP ports in use {ports} (bridged ≈ {ports - active})")
print(f"RTP packets / s            {sent / secs:.0f} sent (relayed), {recv / secs:.0f} received")
at_once = lambda h: h["media"].get("rtpPacketsRelayed")
if at_once(a) is not None:
    print(f"relayed at once            {(at_once(a) - at_once(b)) / max(recv, 1) * 100:.2f} % of the packets received in the window; over the run {at_once(f) - at_once(idle)}, send failures {m_fail if (m_fail := f['media']['rtpSendFailures'] - idle['media']['rtpSendFailures']) else 0}")
print(f"UDP buffer drops (kernel)  {udp[0]} receive, {udp[1]} send, over the run, all processes (the platform's and sipp's sockets)")
pl, cl, ag = (int(x) for x in open(os.path.join(w, "socket-drops.txt")).read().split())
print(f"  by open socket (plateau)  platform RTP {pl}, caller sipp {cl}, agent sipp {ag}")
print(f"platform CPU               {cpu_s / secs * 100:.0f} % of one core; {cpu_s * 1e6 / max(sent, 1):.1f} µs per relayed packet (sent), {cpu_s * 1e6 / max(sent + recv, 1):.1f} µs per packet handled (in + out)")
print(f"  in the kernel             {sys_s / secs * 100:.0f} % of one core; {sys_s * 1e6 / max(sent, 1):.1f} µs per relayed packet (system time: the socket calls and loopback delivery)")
tb = {l.split(";")[0]: int(l.split(";")[2]) for l in open(os.path.join(w, "threads-before.txt")) if l.count(";") == 2 and l.split(";")[2].strip()}
top = []
for l in open(os.path.join(w, "threads-after.txt")):
    tid, name, ticks = l.rstrip("\n").split(";")
    if ticks and tid in tb:
        top.append(((int(ticks) - tb[tid]) / tck / secs * 100, name, tid))
top.sort(reverse=True)
print("busiest threads            " + ", ".join(f"{name} {pct:.0f} %" for pct, name, _ in top[:4]))
alloc = a["process"]["allocatedBytes"] - b["process"]["allocatedBytes"]
g0 = a["process"]["gen0Collections"] - b["process"]["gen0Collections"]; g2 = a["process"]["gen2Collections"] - b["process"]["gen2Collections"]
print(f"allocated                  {alloc / max(sent + recv, 1):.1f} bytes per packet handled, {alloc / secs / 2**20:.1f} MiB/s; GCs in the window: {g0} gen0, {g2} gen2")
print(f"sipp CPU (both)            {(sca - scb) / tck / secs * 100:.0f} % of one core")
print(f"RSS                        idle {rss_idle / 1024:.0f} MiB, plateau {rss_plateau / 1024:.0f} MiB: {(rss_plateau - rss_idle) / max(active, 1):.0f} KiB per call")
print(f"relay buffers (ended)      {relay['bridgedCallsEnded']} bridged, samples in {relay['samplesIn']}, out {relay['samplesOut']}, dropped {relay['samplesDropped']} ({100.0 * relay['samplesDropped'] / max(relay['samplesIn'], 1):.2f} %; cut from a playout backlog {relay.get('samplesCut', 'n/a')}), underruns {relay['underruns']}")
print(f"clock lateness (run)       p50 {m['clockLatenessP50Ms']} ms, p99 {m['clockLatenessP99Ms']} ms, max {m['clockLatenessMaxMs']:.1f} ms")
skip = lambda h: h["media"].get("clockTicksSkipped")
if skip(a) is None:
    print("clock ticks skipped        n/a (no media.clockTicksSkipped on /health)")
else:
    print(f"clock ticks skipped        {skip(a) - skip(b)} in the window ({(skip(a) - skip(b)) / secs:.1f}/s), {skip(f) - skip(idle)} over the run")
print(f"media packets dropped      {m.get('rtpPacketsDropped', 'n/a')}")
print(f"records with an agent      {len(bridged_records)} of {len(recs)} (with a recording: {len(recorded)}); talk median {sorted(r['talkSeconds'] for r in bridged_records)[len(bridged_records) // 2] if bridged_records else 0:.1f} s")
print(f"recordings on disk         {rec_count} files, {rec_bytes / 2**20:.0f} MiB ({rec_bytes / max(rec_count, 1) / 2**20:.2f} MiB each)")
# 8 kHz 16-bit stereo after a 44-byte header: 32,000 bytes a second. Recorded minus talk, per call.
diff = sorted((os.path.getsize(os.path.join(w, r["recording"])) - 44) / 32000 - r["talkSeconds"] for r in recorded if os.path.exists(os.path.join(w, r["recording"])))
if diff:
    print(f"recording minus talk       median {diff[len(diff) // 2]:+.2f} s, min {diff[0]:+.2f} s, max {diff[-1]:+.2f} s ({sum(abs(d) <= 0.5 for d in diff)} of {len(diff)} within ±0.5 s)")
PY
