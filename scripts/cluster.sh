#!/usr/bin/env bash
# The cluster's shape on one machine, in one command: Redis, two platform nodes and Kamailio's
# dispatcher in front of them, all on loopback. Ctrl-C stops everything.
#
#   scripts/cluster.sh [--no-build]
#
#   Kamailio   udp 127.0.0.1:5060   (callers, trunks and phones talk to this)
#   node-1     SIP 127.0.0.1:5070, http://127.0.0.1:8081, RTP 20000-20999
#   node-2     SIP 127.0.0.1:5072, http://127.0.0.1:8082, RTP 21000-21999
#   Redis      127.0.0.1:6390      (SignalR backplane and the wallboard's shared view)
#
# Each node keeps its own SQLite database under the run's folder (printed at start): registrations,
# agents, queues and call records are still per node (see the README, "Several nodes behind Kamailio").
# Needs the Debian packages kamailio and redis-server (installed with apt-get when missing, as root).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

need_apt=()
command -v kamailio >/dev/null 2>&1 || need_apt+=(kamailio)
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
if ((${#need_apt[@]})); then
  echo "cluster.sh: installing ${need_apt[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ "${1:-}" != "--no-build" ]; then
  DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 dotnet build src/ResourceControl -c Release -nologo -v quiet
fi
dll="$root/src/ResourceControl/bin/Release/net10.0/CallCenter.ResourceControl.dll"

run=$(mktemp -d /tmp/callcenter-cluster.XXXXXX)
pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "cluster.sh: stopped; logs and databases are in $run"
}
trap stop EXIT
trap 'exit 130' INT TERM

# Redis: in memory only, on loopback.
redis-server --bind 127.0.0.1 --port 6390 --save '' --appendonly no --dir "$run" >"$run/redis.log" 2>&1 &
pids+=($!)

# Every node signs digest nonces with the same key, so a REGISTER challenged by one node may be answered at the other.
secret=$(head -c 24 /dev/urandom | base64)
node() { # name sip-port http-port rtp-min
  mkdir -p "$run/$1"
  (cd "$run/$1" && exec dotnet "$dll" \
    --Cluster:Enabled=true --Cluster:NodeId="$1" --Cluster:Redis=127.0.0.1:6390 \
    --Sip:Address=127.0.0.1 --Sip:Port="$2" --Sip:NonceSecret="$secret" \
    --Urls="http://127.0.0.1:$3" --Rtp:PortMin="$4" --Rtp:PortMax=$(($4 + 999)) \
    --Database:ConnectionString="Data Source=$run/$1/callcenter.db" --Recording:Directory="$run/$1/recordings" \
    >"$run/$1.log" 2>&1) &
  pids+=($!)
}
node node-1 5070 8081 20000
node node-2 5072 8082 21000

cat >"$run/dispatcher.list" <<LIST
1 sip:127.0.0.1:5070 0 0 node=node-1
1 sip:127.0.0.1:5072 0 0 node=node-2
LIST
kamailio -f "$root/config/kamailio/kamailio.cfg" -DD -E -l udp:127.0.0.1:5060 \
  -A "DISPATCHER_LIST=\"$run/dispatcher.list\"" >"$run/kamailio.log" 2>&1 &
pids+=($!)

for port in 8081 8082; do
  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 || { echo "cluster.sh: the node on :$port did not start; see $run"; exit 1; }
done

cat <<TRY

The cluster is up (logs: $run).

  Kamailio  sip:127.0.0.1:5060      node-1 http://127.0.0.1:8081      node-2 http://127.0.0.1:8082

Try:
  # ten calls to the hotline through Kamailio: they alternate between the nodes
  sipp -sf bench/scenarios/proxy-caller.xml 127.0.0.1:5060 -key caller 13900000000 -s 95500 -m 10 -r 5 -d 2000
  curl -s -H 'X-Api-Key: demo-api-key' 'http://127.0.0.1:8081/api/calls?limit=20'
  curl -s -H 'X-Api-Key: demo-api-key' 'http://127.0.0.1:8082/api/calls?limit=20'

  # drain node-1: its OPTIONS answer 503, Kamailio sends every new call to node-2
  curl -s -X POST -H 'X-Api-Key: demo-api-key' http://127.0.0.1:8081/api/node/drain
  curl -s -X POST -H 'X-Api-Key: demo-api-key' http://127.0.0.1:8081/api/node/resume

  # the wallboard on either node shows both nodes' queues and agents:
  #   http://127.0.0.1:8082/desk/signin  (super / demo-super)

  # register a phone through Kamailio (agent 1001, password demo-1001, registrar 127.0.0.1:5060):
  # it is reached through Kamailio's Path, on the node its REGISTER went to.

Ctrl-C stops everything.
TRY
wait
