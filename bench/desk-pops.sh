#!/usr/bin/env bash
# Pop delivery to agent desks and wallboard updates for supervisors (issue 5 item 7): the platform
# (Release, its own SQLite in a temporary folder, logs at Warning) on loopback with AGENTS bench
# agents (extensions 70000 + i, SIP and desk password bench-desk, skills zh,en,vip). The Node script
# bench/desk-pops/desk-pops.mjs signs every agent in through /desk/signin and opens one /hubs/agent
# connection each, plus SUPERVISORS /hubs/wallboard connections signed in as super. One sipp
# process registers every agent's phone (all with the Contact of one sipp UAS that answers any
# INVITE at once and hangs up after TALK_MS); the agents make themselves available over the hub
# (setState). Then, ROUNDS times, sipp callers ring the VIP line 95501 at RATE per second for
# DURATION_S seconds, and the script measures for each pop now - pop.offeredAt and for each
# wallboard message now - view.at (same machine clock).
# Usage: bench/desk-pops.sh
# Env:   AGENTS (2000), SUPERVISORS (50), RATE (calls/s, 20), DURATION_S (30), ROUNDS (3),
#        TALK_MS (2000), SEED (auto | api | sql: the admin API PUT /api/admin/agents/{ext}, or rows
#        written into the SQLite file before start; auto takes the API when it answers),
#        KEEP=1 (keep the work folder: logs, sipp stats)
set -euo pipefail
cd "$(dirname "$0")/.."
agents=${AGENTS:-2000}
supervisors=${SUPERVISORS:-50}
rate=${RATE:-20}
duration_s=${DURATION_S:-30}
rounds=${ROUNDS:-3}
talk_ms=${TALK_MS:-2000}
seed=${SEED:-auto}
first=70000
password=bench-desk
calls=$((rate * duration_s))
command -v node >/dev/null || { echo "node missing" >&2; exit 1; }
[ -d bench/desk-pops/node_modules ] || npm ci --prefix bench/desk-pops --no-audit --no-fund >/dev/null
# 2,000 WebSockets and their sipp peers need more than the default 1,024 descriptors (inherited by the platform).
ulimit -n 65536 2>/dev/null || true

# Bench agents and their desk logins written into the database between the platform's first start
# (migrations, demo seed) and the real one (it reads agents at start). HA1 as RFC 2617 3.2.2.2 (MD5)
# and RFC 7616 (SHA-256) of ext:realm:password; the desk hash in ASP.NET Core's PasswordHasher V3
# format (PBKDF2-HMAC-SHA512, 100,000 iterations, as the platform writes it), one for all since
# they share the password.
seed_sql() {
  python3 - "$1" "$agents" "$first" "$password" <<'PY'
import base64, hashlib, os, sqlite3, struct, sys
db, n, first, password = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
salt = os.urandom(16)
key = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, 100_000, 32)
desk_hash = base64.b64encode(b"\x01" + struct.pack(">III", 2, 100_000, 16) + salt + key).decode()
con = sqlite3.connect(db)
agents, users = [], []
for i in range(n):
    ext = str(first + i); a1 = f"{ext}:callcenter:{password}".encode()
    agents.append((ext, f"Bench {ext}", "callcenter", hashlib.md5(a1).hexdigest(), hashlib.sha256(a1).hexdigest(), "zh,en,vip"))
    users.append((ext, "agent", desk_hash, ext))
con.executemany("INSERT INTO agents (extension, name, sip_realm, sip_ha1_md5, sip_ha1_sha256, skills) VALUES (?, ?, ?, ?, ?, ?)", agents)
con.executemany("INSERT INTO desk_users (login, role, password_hash, agent_extension) VALUES (?, ?, ?, ?)", users)
con.commit()
PY
}
put_agent() {
  curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'X-Api-Key: demo-api-key' -H 'Content-Type: application/json' \
    --data "{\"name\": \"Bench $1\", \"skills\": [\"zh\", \"en\", \"vip\"], \"password\": \"$password\"}" "http://127.0.0.1:$http/api/admin/agents/$1"
}
[ "$seed" = sql ] && prepare_db() { seed_sql "$1"; }
RTP_MIN=${RTP_MIN:-20000} RTP_MAX=${RTP_MAX:-29999}
PLATFORM_ARGS="--Sip:DigestAlgorithms:0=MD5 --Sip:DigestAlgorithms:1=SHA-256 --Agents:WrapUpSeconds=1
  --Routing:Queues:vip:MaxLength=$((calls * 2 + 100))"
agent_sipp= node_pid=
OPEN_VIP_LINE=1 . bench/platform.sh
# (Each step may fail, a process having ended already, without stopping the clean-up: set -e holds in traps.)
cleanup() {
  for p in $node_pid $agent_sipp; do kill "$p" 2>/dev/null || true; done
  platform_stop
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

if [ "$seed" != sql ]; then
  status=$(put_agent "$first")
  if [[ "$status" == 2* ]]; then
    seed=api
    seq $((first + 1)) $((first + agents - 1)) | xargs -P 4 -I{} bash -c "$(declare -f put_agent); http=$http password=$password put_agent {} >>'$work/put.txt'"
    bad=$(tr -d '\n' <"$work/put.txt" | grep -oE '...' | grep -vc '^2' || true)
    echo "agents created through PUT /api/admin/agents: $agents ($bad refused)" >&2
  elif [ "$seed" = auto ]; then
    echo "PUT /api/admin/agents answered $status: seeding the agents into SQLite instead" >&2
    seed=sql
    platform_stop; seed_sql "$work/cc.db"; platform_start
  else
    echo "PUT /api/admin/agents answered $status" >&2; exit 1
  fi
fi

# One sipp UAS answers for every agent; each agent registers it as its contact.
sed "s|{TALK_MS}|$talk_ms|" bench/scenarios/desk-agent.xml >"$work/agent.xml"
sed -e "s|{PREFIX}|1390|" -e "s|{BYE_TIMEOUT_MS}|$((talk_ms + 60000))|" bench/scenarios/desk-caller.xml >"$work/caller.xml"
# Free ports, chosen now: the machine is shared. A free even media port for each sipp (RTP and RTCP).
free_udp() { python3 -c 'import socket
for _ in range(100):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]
    if p % 2 == 0 and p < 65000:
        t = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            t.bind(("127.0.0.1", p + 1)); print(p); break
        except OSError: pass'; }
agent_port=$(free_udp)
mkdir -p "$work/agent"
(cd "$work/agent" && exec sipp -sf "$work/agent.xml" -i 127.0.0.1 -p "$agent_port" -mp "$(free_udp)" -nostdin \
   -trace_stat -stf stats.csv -fd 1 >sipp.log 2>&1) &
agent_sipp=$!
sleep 1
kill -0 "$agent_sipp" 2>/dev/null || { echo "the agents' sipp did not start:" >&2; tail -5 "$work/agent/sipp.log" >&2; exit 1; }

# The desks and wallboards: the Node script takes commands on a FIFO and answers in node.out.
mkfifo "$work/ctl"
exec 3<>"$work/ctl"
node bench/desk-pops/desk-pops.mjs --base "http://127.0.0.1:$http" --first "$first" --agents "$agents" \
  --password "$password" --supervisors "$supervisors" <"$work/ctl" >"$work/node.out" 2>&1 &
node_pid=$!
# Waits (at most $2 s) for a line of node.out starting with $1 and prints it.
await() {
  for _ in $(seq 1 $(($2 * 5))); do
    if line=$(grep -m1 "^$1" "$work/node.out"); then echo "$line"; return 0; fi
    kill -0 "$node_pid" 2>/dev/null || break
    sleep 0.2
  done
  echo "no '$1' from the Node script; its output:" >&2; tail -20 "$work/node.out" >&2; return 1
}
t0=$(date +%s)
connected=$(await connected 900)
echo "desks and wallboards $connected (agents, supervisors)" >&2
read -r _ desks boards _ <<<"$connected"
[ "$desks" -eq "$agents" ] && [ "$boards" -eq "$supervisors" ] || { grep refused "$work/node.out" >&2 || true; exit 1; }

{ echo SEQUENTIAL; for i in $(seq 0 $((agents - 1))); do echo "$((first + i));$password;[authentication username=$((first + i)) password=$password]"; done; } >"$work/agents.csv"
mkdir -p "$work/register"
(cd "$work/register" && sipp -sf "$OLDPWD/bench/scenarios/bridged-register.xml" "127.0.0.1:$port" -i 127.0.0.1 \
   -inf "$work/agents.csv" -key contact_port "$agent_port" -m "$agents" -r 200 -l 200 -nostdin \
   -trace_stat -stf stats.csv -timeout 120s >sipp.log 2>&1) || true
echo available >&3
available=$(await available 300)
echo "agents $available (made available, refused)" >&2
read -r _ ok refused _ <<<"$available"
[ "$ok" -eq "$agents" ] || { echo "not every agent could be made available (registration: $work/register/sipp.log)" >&2; exit 1; }
echo "set-up took $(($(date +%s) - t0)) s" >&2
sleep 2

for r in $(seq 1 "$rounds"); do
  echo start >&3
  sleep 1
  cpu_before=$(awk '{print $14+$15}' "/proc/$platform/stat"); tr0=$(date +%s.%N)
  mkdir -p "$work/caller-$r"
  (cd "$work/caller-$r" && timeout $((duration_s + talk_ms / 1000 + 120)) sipp -sf "$work/caller.xml" "127.0.0.1:$port" -s 95501 -i 127.0.0.1 -mp "$(free_udp)" \
     -m "$calls" -l "$calls" -r "$rate" -nostdin -trace_stat -stf stats.csv -fd 1 \
     -timeout $((duration_s + 90))s >sipp.log 2>&1) || true
  cpu_after=$(awk '{print $14+$15}' "/proc/$platform/stat"); tr1=$(date +%s.%N)
  sleep 2
  echo end >&3
  # The r-th ROUND line.
  for _ in $(seq 1 100); do [ "$(grep -c '^ROUND' "$work/node.out")" -ge "$r" ] && break; sleep 0.2; done
  python3 - "$work" "$r" "$cpu_before" "$cpu_after" "$tr0" "$tr1" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import csv, json, os, sys
w, r = sys.argv[1], int(sys.argv[2]); cb, ca, t0, t1, load = int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6]), sys.argv[7]
line = [l for l in open(os.path.join(w, "node.out")) if l.startswith("ROUND")][r - 1]
res = json.loads(line[6:])
rows = list(csv.reader(open(os.path.join(w, f"caller-{r}", "stats.csv")), delimiter=";"))
ok, bad = int(rows[-1][rows[0].index("SuccessfulCall(C)")]), int(rows[-1][rows[0].index("FailedCall(C)")])
res.update(callsOk=ok, callsFailed=bad, platformCpuPercent=(ca - cb) / os.sysconf("SC_CLK_TCK") / (t1 - t0) * 100, load=load)
open(os.path.join(w, f"round-{r}.json"), "w").write(json.dumps(res))
p, wb = res["pops"], res["wallboard"] or {}
f = lambda x: "-" if x is None else f"{x:.1f}"
print(f"round {r}: calls {ok} ok {bad} failed; pops {p['count']} (to the wrong agent {res['popsToTheWrongAgent']}): "
      f"median {f(p['median'])} ms, p95 {f(p['p95'])} ms, p99 {f(p['p99'])} ms, max {f(p['max'])} ms; "
      f"platform CPU {res['platformCpuPercent']:.0f} % of a core; Node loop delay p99 {res['eventLoopDelayP99Ms']:.0f} ms; load {load}")
if wb:
    l = wb["lagMs"]
    print(f"         wallboard: {wb['connections']} connections, {wb['messages']} views, lag median {f(l['median'])} ms, p99 {f(l['p99'])} ms, "
          f"max {f(l['max'])} ms; slowest connection {wb['minRatePerSecond']:.2f} views/s, longest gap {f(wb['maxGapMs'])} ms; "
          f"views older than 1.5 s: {wb['lateMessages']}; fell behind: {'YES' if wb['fellBehind'] else 'no'}")
PY
done
echo quit >&3

python3 - "$work" "$rounds" "$agents" "$supervisors" "$rate" "$duration_s" "$seed" <<'PY'
import json, os, statistics, sys
w, n = sys.argv[1], int(sys.argv[2])
rs = [json.load(open(os.path.join(w, f"round-{r}.json"))) for r in range(1, n + 1)]
med = lambda key: statistics.median(x["pops"][key] for x in rs if x["pops"][key] is not None)
wb = [x["wallboard"] for x in rs if x["wallboard"]]
print(f"{sys.argv[3]} agents, {sys.argv[4]} supervisors, {sys.argv[5]} calls/s for {sys.argv[6]} s, {n} rounds (agents seeded by {sys.argv[7]})")
print(f"pop delay, median of the rounds: median {med('median'):.1f} ms, p95 {med('p95'):.1f} ms, p99 {med('p99'):.1f} ms, max {med('max'):.1f} ms; "
      f"pops {sum(x['pops']['count'] for x in rs)} for {sum(x['callsOk'] + x['callsFailed'] for x in rs)} calls placed")
if wb:
    print(f"wallboard: lag p99 (median of rounds) {statistics.median(x['lagMs']['p99'] for x in wb):.0f} ms, worst max {max(x['lagMs']['max'] for x in wb):.0f} ms, "
          f"slowest connection {min(x['minRatePerSecond'] for x in wb):.2f} views/s; fell behind in {sum(x['fellBehind'] for x in wb)} of {len(wb)} rounds")
PY
