#!/usr/bin/env bash
# Calls per second through Kamailio (issue 19): the shipped config/kamailio/kamailio.cfg in front of
# one node, then of two, on loopback; sipp's caller through the proxy (bench/scenarios/proxy-caller.xml,
# which follows Record-Route for its ACK and BYE) at stepped rates, each step SECONDS_PER_STEP long.
# For each step: calls attempted, failed, the failure ratio and the median / p95 INVITE→200 time
# (upper bound of sipp's response-time bucket). Both nodes run on this one machine, so two nodes
# share its cores: the figure shows what the proxy and a second node cost, not a second machine's gain.
# Usage: bench/cluster-rate.sh [rates...]   (default: 100 200 400)
# Env:   SECONDS_PER_STEP (default 10), CALL_MS (call length, default 0)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
rates=("$@"); [ ${#rates[@]} -gt 0 ] || rates=(100 200 400)
step_seconds=${SECONDS_PER_STEP:-10}
call_ms=${CALL_MS:-0}
command -v sipp >/dev/null || { echo "sipp missing: apt-get install sip-tester" >&2; exit 1; }
command -v kamailio >/dev/null || { echo "kamailio missing: apt-get install kamailio" >&2; exit 1; }
dotnet build src/ResourceControl -c Release -nologo -v quiet >/dev/null
work=$(mktemp -d /tmp/callcenter-cluster-bench.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pids=()
kam=
trap '[ -n "$kam" ] && kill "$kam" 2>/dev/null; for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"' EXIT

# Two nodes, each its own SQLite file and RTP range.
node_ports=()
for n in 1 2; do
  sip=$(free_port); http=$(free_port)
  mkdir -p "$work/node-$n"
  (cd "$work/node-$n" && exec dotnet "$root/src/ResourceControl/bin/Release/net10.0/CallCenter.ResourceControl.dll" \
    --Sip:Address=127.0.0.1 --Sip:Port="$sip" --Urls="http://127.0.0.1:$http" --Cluster:NodeId="node-$n" \
    --Database:ConnectionString="Data Source=$work/node-$n/cc.db" --Rtp:PortMin=$((20000 + n * 10000)) --Rtp:PortMax=$((29999 + n * 10000)) \
    --Logging:LogLevel:Default=Warning >"$work/node-$n.log" 2>&1) &
  pids+=($!)
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$http/health" >/dev/null && break; sleep 0.3; done
  curl -sf "http://127.0.0.1:$http/health" >/dev/null || { echo "node $n did not start:" >&2; tail -20 "$work/node-$n.log" >&2; exit 1; }
  node_ports+=("$sip")
done

proxy=$(free_port)
# No carriers: sipp's callers come from a LAN address, so the proxy marks them unverified (unknown callers).
echo "# group address netmask port tag" >"$work/carriers.list"
sed 's/ResponseTimeRepartition value="[^"]*"/ResponseTimeRepartition value="1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 30, 50, 100, 200, 500, 1000, 2000, 5000"/' \
  bench/scenarios/proxy-caller.xml >"$work/caller.xml"

printf "%-6s %-6s %-8s %-8s %-9s %-10s %-10s\n" nodes rate calls failed failed% median_ms p95_ms
for nodes in 1 2; do
  : >"$work/dispatcher.list"
  for i in $(seq 0 $((nodes - 1))); do echo "1 sip:127.0.0.1:${node_ports[$i]} 0 0" >>"$work/dispatcher.list"; done
  kamailio -f config/kamailio/kamailio.cfg -DD -E -m 256 -M 16 -l "udp:127.0.0.1:$proxy" -A "DISPATCHER_LIST=\"$work/dispatcher.list\"" -A "CARRIERS_LIST=\"$work/carriers.list\"" \
    -A 'DS_PING_INTERVAL=1' -w "$work" -Y "$work" >"$work/kamailio-$nodes.log" 2>&1 &
  kam=$!
  sleep 3
  kill -0 "$kam" 2>/dev/null || { echo "kamailio did not start:" >&2; tail -20 "$work/kamailio-$nodes.log" >&2; exit 1; }
  # Warm-up (not reported): JIT tiering and pools settle in the nodes.
  (cd "$work" && sipp -sf "$work/caller.xml" "127.0.0.1:$proxy" -key caller 13900000000 -s 95500 -i 127.0.0.1 -m 1000 -r 100 -d 0 -nostdin >/dev/null 2>&1) || true
  for rate in "${rates[@]}"; do
    calls=$((rate * step_seconds))
    dir="$work/step-$nodes-$rate"; mkdir -p "$dir"
    (cd "$dir" && sipp -sf "$work/caller.xml" "127.0.0.1:$proxy" -key caller 13900000000 -s 95500 -i 127.0.0.1 -m "$calls" -r "$rate" \
       -l $((rate * 4 + 100)) -d "$call_ms" -nostdin -trace_stat -stf stats.csv \
       -timeout $((step_seconds * 3 + 30))s -max_socket 65000 >sipp.log 2>&1) || true
    PYTHONPATH=bench python3 - "$dir" "$rate" "$nodes" <<'PY'
import os, sys
from sipp_stats import SippStats
d, rate, nodes = sys.argv[1], sys.argv[2], sys.argv[3]
stats = SippStats(os.path.join(d, "stats.csv"))
total = stats.ok + stats.failed
print(f"{nodes:<6} {rate:<6} {total:<8} {stats.failed:<8} {100.0 * stats.failed / max(total, 1):<9.3f} {'<=' + format(stats.percentile(0.5), 'g'):<10} {'<=' + format(stats.percentile(0.95), 'g'):<10}")
PY
  done
  kill "$kam"; wait "$kam" 2>/dev/null || true; kam=
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
