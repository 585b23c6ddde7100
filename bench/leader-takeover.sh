#!/usr/bin/env bash
# The cluster's leader take-over time (issue 19): two nodes on one PostgreSQL database and one Redis, the
# leader's process killed (SIGKILL), the time until the other node's /health says it leads (polled every
# 20 ms). The killed node is started again and the next round kills whichever node leads then.
#
#   bench/leader-takeover.sh [rounds]      (default 5; needs redis-server and a PostgreSQL)
#
# PostgreSQL: CALLCENTER_TEST_POSTGRES (an admin connection string, as the tests use); a database of its own
# is created for the run and dropped at the end. Build first: dotnet build src/ResourceControl -c Release.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
admin=${CALLCENTER_TEST_POSTGRES:-Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres}
dll="$(pwd)/src/ResourceControl/bin/Release/net10.0/CallCenter.ResourceControl.dll"
run=$(mktemp -d /tmp/callcenter-takeover.XXXXXX)
db="takeover_$$"
field() { echo "$admin" | tr ';' '\n' | sed -n "s/^$1=//Ip" | head -1; }
psql_admin() { psql "host=$(field Host) port=$(field Port) user=$(field Username) dbname=$(field Database)" -Atqc "$1"; }
psql_admin "CREATE DATABASE $db"
cs="Host=$(field Host);Port=$(field Port);Username=$(field Username);Database=$db"
redis_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no --dir "$run" >"$run/redis.log" 2>&1 &
redis_pid=$!
declare -A pids
stop() {
  for pid in "${pids[@]}" "$redis_pid"; do kill -9 "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql_admin "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
  rm -rf "$run"
}
trap stop EXIT

start() { # node number
  local n=$1
  mkdir -p "$run/n$n"
  (cd "$run/n$n" && exec dotnet "$dll" --Urls="http://127.0.0.1:$((48180 + n))" --Sip:Port=$((47160 + n)) \
    --Rtp:PortMin=$((42000 + n * 1000)) --Rtp:PortMax=$((42000 + n * 1000 + 198)) --Recording:Directory=rec \
    --Cluster:Enabled=true --Cluster:NodeId="node-$n" --Cluster:Redis="127.0.0.1:$redis_port" \
    --Database:Provider=postgres --Database:ConnectionString="$cs" >>"$run/n$n/out.log" 2>&1) &
  pids[$n]=$!
  disown
  until curl -sf "http://127.0.0.1:$((48180 + n))/health" >/dev/null; do sleep 0.2; done
}
leading() { curl -s "http://127.0.0.1:$((48180 + $1))/health" | grep -q '"leading":true'; }

start 1
start 2
times=()
for round in $(seq 1 "$rounds"); do
  until leading 1 || leading 2; do sleep 0.1; done
  if leading 1; then dead=1 other=2; else dead=2 other=1; fi
  t0=$(date +%s%N)
  kill -9 "${pids[$dead]}"
  until leading "$other"; do sleep 0.02; done
  ms=$((($(date +%s%N) - t0) / 1000000))
  times+=("$ms")
  echo "round $round: node-$dead killed, node-$other leads after $ms ms"
  start "$dead"
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
echo "take-over ms: $(echo $sorted) (median $(echo "$sorted" | sed -n "$(((${#times[@]} + 1) / 2))p"), max $(echo "$sorted" | tail -1)); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
