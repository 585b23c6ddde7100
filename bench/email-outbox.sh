#!/usr/bin/env bash
# Outbox throughput through a real SMTP server on loopback (tests/fixtures/smtp/smtp_server.py:
# Debian's python3-aiosmtpd with STARTTLS required and AUTH, as a submission server is run).
# usage: bench/email-outbox.sh [N]   (default 2000 e-mails)
# Stores N queued e-mails in the platform's database while it is stopped (bench/platform.sh's
# prepare_db), with the SMTP server already listening, and times the outbox worker from the
# platform's start to the N-th message saved by the server; then checks that every message reached
# the server exactly once and is "sent" in the database.
# Extra platform options in PLATFORM_ARGS (e.g. "--Mail:Smtp:MaxConnections=16").
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || { echo "python3-aiosmtpd missing: apt-get install python3-aiosmtpd" >&2; exit 1; }
smtp_dir=$(mktemp -d /tmp/callcenter-mailbench.XXXXXX)
smtp=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# 1. The SMTP server: STARTTLS required, AUTH as bench.
mkdir -p "$smtp_dir/out"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$smtp_dir/key.pem" -out "$smtp_dir/cert.pem" -days 1 -subj /CN=127.0.0.1 >/dev/null 2>&1
/usr/bin/python3 tests/fixtures/smtp/smtp_server.py "$smtp" "$smtp_dir/out" starttls bench bench-password "$smtp_dir/cert.pem" "$smtp_dir/key.pem" >"$smtp_dir/smtp.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; rm -rf "$smtp_dir"' EXIT
for _ in $(seq 1 100); do grep -q ready "$smtp_dir/smtp.log" && break; sleep 0.1; done

# 2. The platform (bench/platform.sh): first started to create its database, N queued e-mails
# written straight into it, then started again; the worker begins at once.
prepare_db() {
  python3 - "$1" "$n" <<'PY'
import sqlite3, sys, time
db, n = sys.argv[1], int(sys.argv[2])
now = int(time.time() * 1000)
c = sqlite3.connect(db)
body = "您好，附上您本月的对账单说明。如有疑问请致电 95500。\n" * 20
rows = [("mailbench-%06d" % i, "email", "client%06d@example.com" % i, "【对账单】月度对账单 %06d" % i, body, "ordinary", "queued", 0, now, now, now) for i in range(n)]
c.executemany("INSERT INTO messages (id, channel, recipient, subject, body, kind, status, attempts, next_attempt_at_ms, created_at_ms, updated_at_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
c.executemany("INSERT INTO message_history (message_id, at_ms, status, detail) VALUES (?,?,?,NULL)", [(r[0], now, "queued") for r in rows])
c.commit()
PY
}
PLATFORM_ARGS="--Mail:Smtp:Host=127.0.0.1 --Mail:Smtp:Port=$smtp --Mail:Smtp:Security=starttls --Mail:Smtp:AcceptAnyCertificate=true \
  --Mail:Smtp:Username=bench --Mail:Smtp:Password=bench-password --Mail:From=service@example.cn ${PLATFORM_ARGS:-}"
RTP_MIN=45100 RTP_MAX=45199
. bench/platform.sh
trap 'platform_stop; kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$work" "$smtp_dir"' EXIT

# 3. The worker drains the outbox: time to the N-th message saved by the server.
count() { find "$smtp_dir/out" -name '*.eml' | wc -l; }
t0=$(date +%s.%N)
cpu0=$(awk '{print $14+$15}' "/proc/$platform/stat"); scpu0=$(awk '{print $14+$15}' "/proc/$server/stat")
while [ "$(count)" -lt "$n" ]; do
  sleep 0.2
  if [ "$(echo "$(date +%s.%N) - $t0 > 600" | bc)" = 1 ]; then echo "timeout: $(count) of $n at the server" >&2; break; fi
done
t1=$(date +%s.%N)
cpu1=$(awk '{print $14+$15}' "/proc/$platform/stat"); scpu1=$(awk '{print $14+$15}' "/proc/$server/stat")
at_server=$(count)
secs=$(echo "$t1 - $t0" | bc -l)
printf 'e-mails %d  at the server %d  seconds %.2f  rate %.0f e-mails/s  platform CPU %.0f%% of a core  SMTP server CPU %.0f%%\n' \
  "$n" "$at_server" "$secs" "$(echo "$at_server / $secs" | bc -l)" "$(echo "($cpu1 - $cpu0) / $(getconf CLK_TCK) / $secs * 100" | bc -l)" \
  "$(echo "($scpu1 - $scpu0) / $(getconf CLK_TCK) / $secs * 100" | bc -l)"

# 4. None lost or duplicated; every row sent.
for _ in $(seq 1 60); do
  left=$(sqlite3 "$work/cc.db" "SELECT count(*) FROM messages WHERE status <> 'sent'")
  [ "$left" = 0 ] && break; sleep 1
done
distinct=$(cat "$smtp_dir"/out/*.env | grep -c '^to=' || true)
unique=$(cat "$smtp_dir"/out/*.env | grep '^to=' | sort -u | wc -l)
echo "recipients at the server $distinct  distinct $unique  not sent in the database $left"
[ "$distinct" = "$n" ] && [ "$unique" = "$n" ] && [ "$left" = 0 ]
