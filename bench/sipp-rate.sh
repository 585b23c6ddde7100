#!/usr/bin/env bash
# Call set-up rate against the hotline (issue 2): the platform (Release) on loopback, sipp's
# built-in uac at stepped rates, each step SECONDS_PER_STEP long. For each step: calls attempted,
# failed, the failure ratio, the median / p95 INVITE→200 time (upper bound of sipp's response-time
# bucket), the platform's CPU as a percentage of one core over the step's wall time (sipp's start to
# its last call's end), and the platform's CPU time divided by the calls (µs per call: the same
# whether or not the platform kept up, where the percentage stretches with a slow step's tail).
# Usage: bench/sipp-rate.sh [rates...]   (default: 200 400 600 800 1000 1200 1500)
# Env:   SECONDS_PER_STEP (default 10), CALL_MS (call length, default 0), TRANSPORT (u1 or t1)
set -euo pipefail
cd "$(dirname "$0")/.."
rates=("$@"); [ ${#rates[@]} -gt 0 ] || rates=(200 400 600 800 1000 1200 1500)
step_seconds=${SECONDS_PER_STEP:-10}
call_ms=${CALL_MS:-0}
transport=${TRANSPORT:-u1}
RTP_MIN=${RTP_MIN:-30000} RTP_MAX=${RTP_MAX:-49999}
. bench/platform.sh

# sipp's own uac scenario with a fine response-time partition (ms) for the INVITE→200 time
# (rtd="true" on the 200): percentiles come from these buckets, so sipp writes no per-call trace.
{ sipp -sd uac || true; } | sed 's/ResponseTimeRepartition value="[^"]*"/ResponseTimeRepartition value="1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 30, 50, 100, 200, 500, 1000, 2000, 5000"/' >"$work/uac.xml"

# Warm-up (not reported): JIT tiering and pools settle before the first measured step.
(cd "$work" && sipp -sn uac "127.0.0.1:$port" -s 95500 -t "$transport" -i 127.0.0.1 -m 3000 -r 300 -nostdin >/dev/null 2>&1) || true

printf "%-6s %-8s %-8s %-9s %-10s %-10s %-14s %s\n" rate calls failed failed% median_ms p95_ms platform_cpu% cpu_us_per_call
for rate in "${rates[@]}"; do
  calls=$((rate * step_seconds))
  dir="$work/step-$rate"; mkdir -p "$dir"
  cpu_before=$(awk '{print $14+$15}' "/proc/$platform/stat")
  start=$(date +%s.%N)
  (cd "$dir" && sipp -sf "$work/uac.xml" "127.0.0.1:$port" -s 95500 -t "$transport" -i 127.0.0.1 -m "$calls" -r "$rate" \
     -l $((rate * 4 + 100)) -d "$call_ms" -nostdin -trace_stat -stf stats.csv \
     -timeout $((step_seconds * 3 + 30))s -max_socket 65000 >sipp.log 2>&1) || true
  end=$(date +%s.%N)
  cpu_after=$(awk '{print $14+$15}' "/proc/$platform/stat")
  PYTHONPATH=bench python3 - "$dir" "$rate" "$start" "$end" "$cpu_before" "$cpu_after" <<'PY'
import os, sys
from sipp_stats import SippStats
d, rate, start, end, cb, ca = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
stats = SippStats(os.path.join(d, "stats.csv"))
seconds = (ca - cb) / os.sysconf("SC_CLK_TCK")
cpu = seconds / (end - start) * 100
total = stats.ok + stats.failed
per_call = seconds / max(total, 1) * 1e6
print(f"{rate:<6} {total:<8} {stats.failed:<8} {100.0 * stats.failed / max(total, 1):<9.3f} {'<=' + format(stats.percentile(0.5), 'g'):<10} {'<=' + format(stats.percentile(0.95), 'g'):<10} {cpu:<14.0f} {per_call:.0f}")
PY
done
