#!/usr/bin/env bash
# The set-up time the cluster's one ACD adds (issue 19): from a caller entering its queue ("waits in queue") to
# the INVITE to the agent's phone ("offered to agent"), both read from the caller's node's log (one clock), with
# an agent already available. First one node on PostgreSQL without Cluster:Enabled (its own router decides),
# then two nodes with Cluster:Enabled on the same PostgreSQL and a Redis: the agent's phone registers through
# node 1 and the agent is made available on node 1, node 1 leads, and the callers ring node 2 (published, routed
# by node 1's leader, taken by node 2, claimed, rung). CALLS callers one after the other (13800000001 on the VIP
# line, agent 1001), each hanging up HOLD_MS after the answer.
#
#   bench/cluster-acd.sh            (Env: CALLS=20, HOLD_MS=20000; needs sipp, redis-server, psql and a PostgreSQL)
#
# PostgreSQL: CALLCENTER_TEST_POSTGRES (an admin connection string, as the tests use); a database of its own is
# created for each part and dropped at the end. Build first: dotnet build src/ResourceControl -c Release.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
calls=${CALLS:-20}
hold_ms=${HOLD_MS:-20000}
admin=${CALLCENTER_TEST_POSTGRES:-Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres}
dll="$root/src/ResourceControl/bin/Release/net10.0/CallCenter.ResourceControl.dll"
scenarios="$root/tests/Integration.Tests/Scenarios"
run=$(mktemp -d /tmp/callcenter-cluster-acd.XXXXXX)
field() { echo "$admin" | tr ';' '\n' | sed -n "s/^$1=//Ip" | head -1; }
psql_admin() { psql "host=$(field Host) port=$(field Port) user=$(field Username) dbname=$(field Database)" -Atqc "$1"; }
free_port() { python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pids=()
dbs=()
stop() {
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for db in "${dbs[@]}"; do psql_admin "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true; done
  [ -n "${KEEP:-}" ] || rm -rf "$run"
}
trap stop EXIT

redis_port=$(free_port)
redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no --dir "$run" >"$run/redis.log" 2>&1 &
pids+=($!)

# The VIP line open to every caller (its tier check taken out), as the tests' OpenVipLine does.
mkdir -p "$run/config"
cp -r config/. "$run/config/"
sed -i 's/"start": "gate"/"start": "welcome"/' "$run/config/flows/95501.json"

start() { # name http sip database [extra arguments...]
  local name=$1 http=$2 sip=$3 db=$4; shift 4
  mkdir -p "$run/$name"
  cp -r "$run/config" "$run/$name/"
  (cd "$run/$name" && exec dotnet "$dll" --Urls="http://127.0.0.1:$http" --Sip:Address=127.0.0.1 --Sip:Port="$sip" \
    --Sip:DigestAlgorithms:0=MD5 --Agents:WrapUpSeconds=0 --Routing:AnnouncementSeconds=0 --Recording:Directory=rec \
    --Rtp:PortMin=$((30000 + sip % 100 * 200)) --Rtp:PortMax=$((30000 + sip % 100 * 200 + 198)) \
    --Database:Provider=postgres --Database:ConnectionString="Host=$(field Host);Port=$(field Port);Username=$(field Username);Database=$db" \
    "$@" >"$run/$name/out.log" 2>&1) &
  pids+=($!)
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$http/health" >/dev/null && return 0; sleep 0.2; done
  echo "$name did not start:" >&2; tail -20 "$run/$name/out.log" >&2; exit 1
}

fill() { # template out key=value...
  local template=$1 out=$2; shift 2
  cp "$scenarios/$template" "$out"
  for kv in "$@"; do sed -i "s|${kv%%=*}|${kv#*=}|g" "$out"; done
}

# The agent's phone (answers every call) registered through $1 (sip port), then made available on $2 (http port).
agent() {
  local through=$1 http=$2 port; port=$(free_port)
  fill agent-answer.xml "$run/agent.xml" "{RING_MS}=100" "{EXPECT_PAI}=.*" "{EXPECT_DISPLAY}=.*"
  fill register-contact.xml "$run/register.xml" "{CONTACT_PORT}=$port"
  (cd "$run" && exec sipp -sf agent.xml -i 127.0.0.1 -p "$port" -m "$calls" -nostdin -timeout 600s >"$run/agent-$port.log" 2>&1) &
  pids+=($!)
  (cd "$run" && sipp -sf register.xml "127.0.0.1:$through" -i 127.0.0.1 -s 1001 -au 1001 -ap demo-1001 -m 1 -nostdin -timeout 20s -timeout_error >/dev/null 2>&1)
  sleep 1.5
  curl -sf -X POST -H 'X-Api-Key: demo-api-key' -H 'Content-Type: application/json' -d '{"state":"available"}' \
    "http://127.0.0.1:$http/api/agents/1001/state" >/dev/null
}

callers() { # sip port of the callers' node
  fill caller.xml "$run/caller.xml" "{CALLER}=13800000001" "{WAIT_MS}=$hold_ms" "{TALK_MS}=0"
  (cd "$run" && sipp -sf caller.xml "127.0.0.1:$1" -s 95501 -i 127.0.0.1 -m "$calls" -l 1 -r 1 -nostdin -timeout 900s >"$run/callers-$1.log" 2>&1) || true
}

report() { # label log
  python3 - "$1" "$2" <<'PY'
import re, sys
label, log = sys.argv[1], sys.argv[2]
ms = lambda t: ((int(t[0:2]) * 60 + int(t[3:5])) * 60 + int(t[6:8])) * 1000 + int(t[9:12])
queued, offered = {}, {}
for line in open(log, errors="replace"):
    m = re.match(r"(\d\d:\d\d:\d\d\.\d\d\d) .*Call (\S+) \(SIP \S+\) (waits in queue|offered to agent)", line)
    if m:
        (queued if m.group(3) == "waits in queue" else offered).setdefault(m.group(2), ms(m.group(1)))
d = sorted(offered[c] - queued[c] for c in offered if c in queued)
if not d:
    print(f"{label:<40} no call was offered (see {log})"); sys.exit()
p = lambda q: d[min(len(d) - 1, int(q * len(d)))]
print(f"{label:<40} {len(d):>3} calls  median {p(0.5):>4} ms  p95 {p(0.95):>4} ms  max {d[-1]:>4} ms")
PY
}

# Part 1: one node, its own router.
db1="acd_one_$$"; psql_admin "CREATE DATABASE $db1"; dbs+=("$db1")
h1=$(free_port); s1=$(free_port)
start one "$h1" "$s1" "$db1"
agent "$s1" "$h1"
callers "$s1"
kill -9 "${pids[-1]}" "${pids[-2]}" 2>/dev/null || true

# Part 2: two nodes, the cluster's ACD; callers on node 2, the agent made available on node 1, node 1 leads.
db2="acd_two_$$"; psql_admin "CREATE DATABASE $db2"; dbs+=("$db2")
cluster=(--Cluster:Enabled=true --Cluster:Redis="127.0.0.1:$redis_port" --Sip:NonceSecret=cluster-acd-bench-secret-0123456789)
h2=$(free_port); s2=$(free_port); h3=$(free_port); s3=$(free_port)
start node-1 "$h2" "$s2" "$db2" "${cluster[@]}" --Cluster:NodeId=node-1
start node-2 "$h3" "$s3" "$db2" "${cluster[@]}" --Cluster:NodeId=node-2
until curl -s "http://127.0.0.1:$h2/health" | grep -q '"leading":true'; do sleep 0.2; done
agent "$s2" "$h2"
callers "$s3"

echo "queue entry → INVITE to the agent, on the caller's node (HOLD_MS=$hold_ms)"
report "one node (PostgreSQL, its own router)" "$run/one/out.log"
report "two nodes (caller on 2, agent and leader on 1)" "$run/node-2/out.log"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
