#!/usr/bin/env bash
# Outbox throughput through a real Kannel (bearerbox + smsbox + fakesmsc as the SMSC), on loopback.
# usage: bench/sms-outbox.sh [N]   (default 20000 messages)
# Stores N queued SMS in the platform's database while it is stopped, starts Kannel and the
# platform, and times the outbox worker from start to the N-th message at the SMSC; then waits for
# the delivery reports and checks that every message reached the SMSC exactly once and is delivered.
# Extra platform options in PLATFORM_ARGS (e.g. "--Outbox:Concurrency=64 --Outbox:BatchSize=500").
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20000}
for bin in /usr/sbin/bearerbox /usr/sbin/smsbox /usr/lib/kannel/test/fakesmsc; do
  [ -x "$bin" ] || { echo "$bin missing: apt-get install kannel kannel-extras" >&2; exit 1; }
done
dotnet build src/ResourceControl -c Release -nologo -v quiet >/dev/null
work=$(mktemp -d /tmp/callcenter-smsbench.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
http=$(free_port); sip=$(free_port); secret="bench-callback-secret-$$"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# Kannel from the tests' configuration, logging warnings only.
mkdir -p "$work/store"
sed -e "s|@ADMIN_PORT@|$(free_port)|; s|@ADMIN_PASSWORD@|bench$$|; s|@SMSBOX_PORT@|$(free_port)|" \
    -e "s|@SMSC_PORT@|${smsc:=$(free_port)}|; s|@MO_PORT@|$(free_port)|; s|@SENDSMS_PORT@|${sendsms:=$(free_port)}|" \
    -e "s|@DIR@|$work|g; s|@USERNAME@|callcenter|; s|@PASSWORD@|bench-password|; s|@CALLBACK@|http://127.0.0.1:$http|; s|@SECRET@|$secret|" \
    -e "s|^log-level = 1|log-level = 2|" tests/fixtures/kannel/kannel.conf.template >"$work/kannel.conf"

platform_args=(--Sip:Address=127.0.0.1 --Sip:Port="$sip" --Urls="http://127.0.0.1:$http" --Rtp:PortMin=45000 --Rtp:PortMax=45099
  --Database:ConnectionString="Data Source=$work/cc.db" --Recording:Directory="$work/rec" --Logging:LogLevel:Default=Warning
  --Sms:Provider=kannel --Sms:Kannel:SendUrl="http://127.0.0.1:$sendsms/cgi-bin/sendsms" --Sms:Kannel:Username=callcenter
  --Sms:Kannel:Password=bench-password --Sms:Kannel:CallbackBaseUrl="http://127.0.0.1:$http" --Sms:Kannel:CallbackSecret="$secret")
start_platform() {
  # shellcheck disable=SC2086 # PLATFORM_ARGS is a list of options
  (cd "$work" && exec dotnet "$OLDPWD/src/ResourceControl/bin/Release/net10.0/CallCenter.ResourceControl.dll" "${platform_args[@]}" ${PLATFORM_ARGS:-} >>"$work/platform.log" 2>&1) &
  platform=$!
  for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$http/health" >/dev/null && return 0; sleep 0.1; done
  echo "the platform did not start" >&2; tail -20 "$work/platform.log" >&2; exit 1
}

# 1. The database (migrated by a first start), then N queued messages written straight into it.
start_platform; kill "$platform"; wait "$platform" || true
python3 - "$work/cc.db" "$n" <<'PY'
import sqlite3, sys, time
db, n = sys.argv[1], int(sys.argv[2])
now = int(time.time() * 1000)
c = sqlite3.connect(db)
rows = [("bench-%06d" % i, "sms", "+86138%08d" % (i % 100000000), None, "bench-%06d" % i, "ordinary", "queued", 0, now, None, None, now, now) for i in range(n)]
c.executemany("INSERT INTO messages (id, channel, recipient, subject, body, kind, status, attempts, next_attempt_at_ms, in_flight_at_ms, last_error, created_at_ms, updated_at_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
c.executemany("INSERT INTO message_history (message_id, at_ms, status, detail) VALUES (?,?,?,NULL)", [(r[0], now, "queued") for r in rows])
c.commit()
PY

# 2. Kannel: bearerbox, the SMSC (fakesmsc prints each message it gets), smsbox.
/usr/sbin/bearerbox -v 2 "$work/kannel.conf" >/dev/null 2>&1 & pids+=($!)
sleep 1
/usr/lib/kannel/test/fakesmsc -H 127.0.0.1 -r "$smsc" -i 1 -m 0 "0 0 text unused" >"$work/smsc.out" 2>&1 & pids+=($!)
/usr/sbin/smsbox -v 2 "$work/kannel.conf" >/dev/null 2>&1 & pids+=($!)
for _ in $(seq 1 100); do curl -s "http://127.0.0.1:$sendsms/" >/dev/null && break; sleep 0.1; done
sleep 1

# 3. The worker drains the outbox: time to the N-th message at the SMSC.
count() { grep -c 'Got message' "$work/smsc.out" || true; }
start_platform; pids+=("$platform")
t0=$(date +%s.%N)
cpu0=$(awk '{print $14+$15}' "/proc/$platform/stat")
while [ "$(count)" -lt "$n" ]; do
  sleep 0.2
  if [ "$(echo "$(date +%s.%N) - $t0 > 600" | bc)" = 1 ]; then echo "timeout: $(count) of $n at the SMSC" >&2; break; fi
done
t1=$(date +%s.%N)
cpu1=$(awk '{print $14+$15}' "/proc/$platform/stat")
at_smsc=$(count)
secs=$(echo "$t1 - $t0" | bc -l)
printf 'messages %d  at the SMSC %d  seconds %.2f  rate %.0f SMS/s  platform CPU %.0f%% of a core\n' \
  "$n" "$at_smsc" "$secs" "$(echo "$at_smsc / $secs" | bc -l)" "$(echo "($cpu1 - $cpu0) / $(getconf CLK_TCK) / $secs * 100" | bc -l)"

# 4. None lost or duplicated at the SMSC; every message delivered once its report is in.
sleep 5
for _ in $(seq 1 120); do
  left=$(sqlite3 "$work/cc.db" "SELECT count(*) FROM messages WHERE status <> 'delivered'")
  [ "$left" = 0 ] && break; sleep 1
done
dups=$(grep -o 'Got message [0-9]*: <[^ ]* [^ ]* text bench-[0-9]*' "$work/smsc.out" | awk '{print $NF}' | sort | uniq -d | wc -l)
distinct=$(grep -o 'text bench-[0-9]*' "$work/smsc.out" | sort -u | wc -l)
echo "distinct texts at the SMSC $distinct  duplicated $dups  not delivered in the database $left"
[ "$distinct" = "$n" ] && [ "$dups" = 0 ] && [ "$left" = 0 ]
