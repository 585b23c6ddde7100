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
export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0   # JIT code in perf maps, not in a double-mapped memfd
RTP_MIN=${RTP_MIN:-30000} RTP_MAX=${RTP_MAX:-49999}
. bench/platform.sh
(cd "$work" && sipp -sn uac "127.0.0.1:$port" -s 95500 -i 127.0.0.1 -m 3000 -r 300 -nostdin >/dev/null 2>&1) || true
sleep 2
calls=$((rate * seconds))
# A thread may exit between the listing and the read: it is left out, not an error.
snapshot() { for t in /proc/$platform/task/*; do
  name=$(tr ' ' '_' <"$t/comm" 2>/dev/null) && ticks=$(awk '{print $14+$15}' "$t/stat" 2>/dev/null) && [ -n "$ticks" ] && echo "$name $ticks"
done; true; }
snapshot >"$work/threads.before"
cpu_before=$(awk '{print $14+$15}' "/proc/$platform/stat")
perf record -F 999 -g -p "$platform" -o "${PERF_DATA:-$work/perf.data}" -- sleep "$seconds" >/dev/null 2>&1 &
perf_pid=$!
(cd "$work" && sipp -sn uac "127.0.0.1:$port" -s 95500 -i 127.0.0.1 -m "$calls" -r "$rate" -d "$call_ms" -l $((rate * 4 + 100)) \
   -nostdin -timeout $((seconds * 3 + 30))s >/dev/null 2>&1) || true
wait "$perf_pid" || true
sleep 1
cpu_after=$(awk '{print $14+$15}' "/proc/$platform/stat")
snapshot >"$work/threads.after"
tck=$(getconf CLK_TCK)
echo "calls: $calls at $rate/s, CALL_MS=$call_ms"
awk -v b="$cpu_before" -v a="$cpu_after" -v t="$tck" -v n="$calls" 'BEGIN { printf "platform CPU: %.2f s, %.0f µs per call\n", (a-b)/t, (a-b)/t/n*1e6 }'
echo "CPU by thread name (s):"
python3 - "$work/threads.before" "$work/threads.after" "$tck" <<'PY'
import collections, sys
def read(path):
    s = collections.Counter()
    for line in open(path):
        name, ticks = line.rsplit(" ", 1)
        s[name] += int(ticks)
    return s
before, after, tck = read(sys.argv[1]), read(sys.argv[2]), int(sys.argv[3])
for name, ticks in sorted(((n, after[n] - before.get(n, 0)) for n in after), key=lambda x: -x[1]):
    if ticks > 0:
        print(f"  {name:24} {ticks / tck:6.2f}")
PY
echo "top symbols (self, % of samples):"
perf report -i "${PERF_DATA:-$work/perf.data}" --no-children -g none --sort symbol --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -40
echo "by module:"
perf report -i "${PERF_DATA:-$work/perf.data}" --no-children -g none --sort dso --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -12
