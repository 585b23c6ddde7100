#!/usr/bin/env bash
# The cluster's shape on one machine, in one command: Redis, two platform nodes and Kamailio's
# dispatcher in front of them, all on loopback. Ctrl-C stops everything.
#
#   scripts/cluster.sh [--no-build]
#
#   Kamailio   udp 127.0.0.1:5060   (callers, trunks and phones talk to this)
#   node-1     SIP 127.0.0.1:5070, http://127.0.0.1:8081, RTP 20000-20999
#   node-2     SIP 127.0.0.1:5072, http://127.0.0.1:8082, RTP 21000-21999
#   carrier    127.0.0.1:5090      (the one source Kamailio believes callers' numbers from: see carriers.list)
#                                   DEMO ONLY: 5090 is an unprivileged port, so any user of this machine can
#                                   bind it and have any number believed; a real carrier is its SBC's address.
#   Redis      127.0.0.1:6390      (SignalR backplane, the wallboard's shared view, the desk cookies' keys;
#                                   with a generated password; append-only file in the run's folder, so a
#                                   restarted Redis keeps the keys)
#
# Secrets (the shared Sip:NonceSecret, the Redis password) are generated for the run into
# <run>/secrets.env (mode 0600) and reach Redis through its configuration file and the nodes through
# their environment, never a command line. The desk cookies' keys are stored in Redis encrypted to a
# certificate made with openssl for the run (<run>/keyring.pem, with its private key; Cluster:KeyRingCertificate).
#
# Each node keeps its own SQLite database under the run's folder (printed at start): registrations,
# agents, queues and call records are still per node (see the README, "Several nodes behind Kamailio").
# Needs the Debian packages kamailio and redis-server (installed with apt-get when missing, as root).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

# Other ports (tests run it on free ones): set any of these in the environment.
kamailio_port=${CLUSTER_KAMAILIO_PORT:-5060}
redis_port=${CLUSTER_REDIS_PORT:-6390}
sip1=${CLUSTER_NODE1_SIP:-5070} sip2=${CLUSTER_NODE2_SIP:-5072}
http1=${CLUSTER_NODE1_HTTP:-8081} http2=${CLUSTER_NODE2_HTTP:-8082}
carrier_port=${CLUSTER_CARRIER_PORT:-5090}
rtp1=${CLUSTER_NODE1_RTP:-20000} rtp2=${CLUSTER_NODE2_RTP:-21000} rtp_ports=${CLUSTER_RTP_PORTS:-1000}

need_apt=()
command -v kamailio >/dev/null 2>&1 || need_apt+=(kamailio)
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
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

# The run's folder holds the secrets: readable by this user only.
umask 077
run=$(mktemp -d /tmp/callcenter-cluster.XXXXXX)
pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "cluster.sh: stopped; logs and databases are in $run"
}
trap stop EXIT
trap 'exit 130' INT TERM

# Secrets, generated for this run into a file only this user reads, never on a command line (where ps
# shows them to every user): the digest nonce key every node shares (a REGISTER challenged by one node
# may be answered at the other) and the Redis password.
cat >"$run/secrets.env" <<SECRETS
NONCE_SECRET=$(head -c 32 /dev/urandom | base64 | tr -d '\n')
REDIS_PASSWORD=$(head -c 32 /dev/urandom | base64 | tr -d '\n/+=')
SECRETS
chmod 600 "$run/secrets.env"
# shellcheck source=/dev/null
. "$run/secrets.env"

# The certificate the nodes encrypt the desk cookies' keys to before storing them in Redis: one file with
# the certificate and its private key, this user's only (umask 077), for every node of the run.
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=callcenter-keyring" \
  -keyout "$run/keyring.pem" -out "$run/keyring.crt" 2>/dev/null
cat "$run/keyring.crt" >>"$run/keyring.pem"
rm "$run/keyring.crt"

# Redis: on loopback, asking for the password (from its configuration file, not argv), with an append-only
# file in the run's folder (fsync every second): a restarted Redis keeps the key ring and the desks stay signed in.
cat >"$run/redis.conf" <<CONF
bind 127.0.0.1
port $redis_port
protected-mode yes
save ""
appendonly yes
appendfsync everysec
dir $run
requirepass $REDIS_PASSWORD
CONF
chmod 600 "$run/redis.conf"
redis-server "$run/redis.conf" >"$run/redis.log" 2>&1 &
pids+=($!)

# The nodes get the secrets through their environment (ASP.NET Core reads Sip__NonceSecret as
# Sip:NonceSecret), which only this user (and root) can read in /proc.
node() { # name sip-port http-port rtp-min
  mkdir -p "$run/$1"
  (cd "$run/$1" && \
    Sip__NonceSecret="$NONCE_SECRET" Cluster__Redis="127.0.0.1:$redis_port,password=$REDIS_PASSWORD" exec dotnet "$dll" \
    --Cluster:Enabled=true --Cluster:NodeId="$1" --Cluster:KeyRingCertificate="$run/keyring.pem" \
    --Sip:Address=127.0.0.1 --Sip:Port="$2" \
    --Urls="http://127.0.0.1:$3" --Rtp:PortMin="$4" --Rtp:PortMax=$(($4 + rtp_ports - 1)) \
    --Database:ConnectionString="Data Source=$run/$1/callcenter.db" --Recording:Directory="$run/$1/recordings" \
    >"$run/$1.log" 2>&1) &
  pids+=($!)
}
node node-1 "$sip1" "$http1" "$rtp1"
node node-2 "$sip2" "$http2" "$rtp2"

cat >"$run/dispatcher.list" <<LIST
1 sip:127.0.0.1:$sip1 0 0 node=node-1
1 sip:127.0.0.1:$sip2 0 0 node=node-2
LIST
# The demo's carrier: a caller sent from 127.0.0.1:$carrier_port (sipp -p $carrier_port) has its number believed;
# from any other address or port it reaches the nodes as an unverified (unknown) caller.
# For the demo only: any local user can bind 127.0.0.1:$carrier_port (an unprivileged port) and send as the carrier.
cat >"$run/carriers.list" <<LIST
1 127.0.0.1 32 $carrier_port demo-carrier
LIST
kamailio -f "$root/config/kamailio/kamailio.cfg" -DD -E -l "udp:127.0.0.1:$kamailio_port" -Y "$run" \
  -A "DISPATCHER_LIST=\"$run/dispatcher.list\"" -A "CARRIERS_LIST=\"$run/carriers.list\"" >"$run/kamailio.log" 2>&1 &
pids+=($!)

for port in "$http1" "$http2"; do
  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 || { echo "cluster.sh: the node on :$port did not start; see $run"; exit 1; }
done

cat <<TRY

The cluster is up (logs: $run; its secrets, readable by you only: $run/secrets.env).

  Kamailio  sip:127.0.0.1:$kamailio_port      node-1 http://127.0.0.1:$http1      node-2 http://127.0.0.1:$http2

Try:
  # ten calls to the hotline through Kamailio: they alternate between the nodes
  sipp -sf bench/scenarios/proxy-caller.xml 127.0.0.1:$kamailio_port -key caller 13900000000 -s 95500 -m 10 -r 5 -d 2000

  # the Gold client on the VIP line through the demo carrier (source port $carrier_port): greeted as Gold;
  # the same without -p $carrier_port is an unverified caller, and the VIP line turns it away
  # (demo only: any user of this machine can bind port $carrier_port and be believed; list a real carrier by its SBC's address)
  sipp -sf bench/scenarios/proxy-caller.xml 127.0.0.1:$kamailio_port -p $carrier_port -key caller 13800000003 -s 95501 -m 1 -d 3000
  curl -s -H 'X-Api-Key: demo-api-key' 'http://127.0.0.1:$http1/api/calls?limit=20'
  curl -s -H 'X-Api-Key: demo-api-key' 'http://127.0.0.1:$http2/api/calls?limit=20'

  # drain node-1: its OPTIONS answer 503, Kamailio sends every new call to node-2
  curl -s -X POST -H 'X-Api-Key: demo-api-key' http://127.0.0.1:$http1/api/node/drain
  curl -s -X POST -H 'X-Api-Key: demo-api-key' http://127.0.0.1:$http1/api/node/resume

  # the wallboard on either node shows both nodes' queues and agents:
  #   http://127.0.0.1:$http2/desk/signin  (super / demo-super)

  # register a phone through Kamailio (agent 1001, password demo-1001, registrar 127.0.0.1:$kamailio_port):
  # it is reached through Kamailio's Path, on the node its REGISTER went to.

Ctrl-C stops everything.
TRY
wait
