#!/usr/bin/env bash
# Where the platform's CPU goes while it sets up calls (issue 11): the platform (Release) on loopback
# with perf maps on, a warm-up, then sipp's built-in uac at RATE calls/s (CALL_MS long, the IVR
# answering) for SECONDS while `perf record` samples the platform's threads at 999 Hz. Prints the CPU
# per call (platform CPU time / calls), the share of each thread, and the top symbols and modules.
# Usage: RATE=500 RUN_SECONDS=10 CALL_MS=200 bench/profile-setup.sh      (needs linux-perf: apt-get install linux-perf)
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${RATE:-500}
seconds=${RUN_SECONDS:-10}
call_ms=${CALL_MS:-200}
command -v perf >/dev/null || { echo "perf missing: apt-get install linux-perf" >&2; exit 1; }
export DOTNET_PerfMapEnabled=1
RTP_MIN=${RTP_MIN:-30000} RTP_MAX=${RTP_MAX:-49999}
. bench/platform.sh
(cd "$work" && sipp -sn uac "127.0.0.1:$port" -s 95500 -i 127.0.0.1 -m 3000 -r 300 -nostdin >/dev/null 2>&1) || true
sleep 2
calls=$((rate * seconds))
threads_before=$(for t in /proc/$platform/task/*; do echo "$(tr ' ' '_' <"$t/comm") $(awk '{print $14+$15}' "$t/stat")"; done)
cpu_before=$(awk '{print $14+$15}' "/proc/$platform/stat")
perf record -F 999 -g -p "$platform" -o "$work/perf.data" -- sleep "$seconds" >/dev/null 2>&1 &
perf_pid=$!
(cd "$work" && sipp -sn uac "127.0.0.1:$port" -s 95500 -i 127.0.0.1 -m "$calls" -r "$rate" -d "$call_ms" -l $((rate * 4 + 100)) \
   -nostdin -timeout $((seconds * 3 + 30))s >/dev/null 2>&1) || true
wait "$perf_pid" || true
sleep 1
cpu_after=$(awk '{print $14+$15}' "/proc/$platform/stat")
threads_after=$(for t in /proc/$platform/task/*; do echo "$(tr ' ' '_' <"$t/comm") $(awk '{print $14+$15}' "$t/stat")"; done)
tck=$(getconf CLK_TCK)
echo "calls: $calls at $rate/s, CALL_MS=$call_ms"
awk -v b="$cpu_before" -v a="$cpu_after" -v t="$tck" -v n="$calls" 'BEGIN { printf "platform CPU: %.2f s, %.0f µs per call\n", (a-b)/t, (a-b)/t/n*1e6 }'
echo "CPU by thread name (s):"
join -a 2 <(echo "$threads_before" | awk '{s[$1]+=$2} END {for (k in s) print k, s[k]}' | sort) \
          <(echo "$threads_after" | awk '{s[$1]+=$2} END {for (k in s) print k, s[k]}' | sort) |
  awk -v t="$tck" '{d=($3==""?$2:$3-$2)/t; if (d>0.01) printf "  %-22s %6.2f\n", $1, d}' | sort -k2 -nr
echo "top symbols (self, % of samples):"
perf report -i "$work/perf.data" --no-children --sort symbol --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -40
echo "by module:"
perf report -i "$work/perf.data" --no-children --sort dso --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -12
