#!/usr/bin/env bash
# Call set-up rate against the hotline (issue 2): the platform (Release) on loopback, sipp's
# built-in uac at stepped rates, each step SECONDS long. For each step: calls attempted, failed,
# the failure ratio, and the median / p95 INVITE→200 time from sipp's own response-time trace.
# Usage: bench/sipp-rate.sh [rates...]   (default: 200 400 600 800 1000 1200 1500)
# Env:   SECONDS_PER_STEP (default 10), CALL_MS (call length, default 0), TRANSPORT (u1 or t1)
set -euo pipefail
cd "$(dirname "$0")/.."
rates=("$@"); [ ${#rates[@]} -gt 0 ] || rates=(200 400 600 800 1000 1200 1500)
step_seconds=${SECONDS_PER_STEP:-10}
call_ms=${CALL_MS:-0}
transport=${TRANSPORT:-u1}
command -v sipp >/dev/null || { echo "sipp missing: apt-get install sip-tester" >&2; exit 1; }

dotnet build src/ResourceControl -c Release -nologo -v quiet >/dev/null
work=$(mktemp -d /tmp/callcenter-bench.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
http=$((port + 1))
(cd "$work" && exec dotnet "$OLDPWD/src/ResourceControl/bin/Release/net10.0/CallCenter.ResourceControl.dll" \
  --Sip:Address=127.0.0.1 --Sip:Port="$port" --Urls="http://127.0.0.1:$http" \
  --Database:ConnectionString="Data Source=$work/cc.db" --Rtp:PortMin=30000 --Rtp:PortMax=49999 \
  --Logging:LogLevel:Default=Warning >"$work/platform.log" 2>&1) &
platform=$!
trap 'kill $platform 2>/dev/null; wait $platform 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$http/health" >/dev/null && break; sleep 0.3; done

printf "%-6s %-8s %-8s %-9s %-10s %-10s %-8s\n" rate calls failed failed% median_ms p95_ms cpu%
for rate in "${rates[@]}"; do
  calls=$((rate * step_seconds))
  dir="$work/step-$rate"; mkdir -p "$dir"
  cpu_before=$(awk '{print $14+$15}' "/proc/$platform/stat")
  start=$(date +%s.%N)
  (cd "$dir" && sipp -sn uac "127.0.0.1:$port" -s 95500 -t "$transport" -i 127.0.0.1 -m "$calls" -r "$rate" \
     -l $((rate * 4 + 100)) -d "$call_ms" -nostdin -trace_stat -stf stats.csv -trace_rtt -rtt_freq 1 \
     -timeout $((step_seconds * 3 + 30))s -max_socket 65000 >sipp.log 2>&1) || true
  end=$(date +%s.%N)
  cpu_after=$(awk '{print $14+$15}' "/proc/$platform/stat")
  python3 - "$dir" "$rate" "$start" "$end" "$cpu_before" "$cpu_after" <<'PY'
import csv, glob, os, statistics, sys
d, rate, start, end, cb, ca = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
rows = list(csv.reader(open(os.path.join(d, "stats.csv")), delimiter=";"))
head, last = rows[0], rows[-1]
ok = int(last[head.index("SuccessfulCall(C)")]); bad = int(last[head.index("FailedCall(C)")])
times = []
for f in glob.glob(os.path.join(d, "*_rtt.csv")):
    for r in csv.reader(open(f), delimiter=";"):
        try: times.append(float(r[1]))
        except (ValueError, IndexError): pass
times.sort()
med = statistics.median(times) if times else float("nan")
p95 = times[int(0.95 * (len(times) - 1))] if times else float("nan")
cpu = (ca - cb) / os.sysconf("SC_CLK_TCK") / (end - start) * 100
total = ok + bad
print(f"{rate:<6} {total:<8} {bad:<8} {100.0 * bad / max(total, 1):<9.3f} {med:<10.2f} {p95:<10.2f} {cpu:<8.0f}")
PY
done
