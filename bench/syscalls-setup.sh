#!/usr/bin/env bash
# System calls per call while the platform sets up calls (issue 11): the platform (Release) on
# loopback, a warm-up, then `strace -c -f` attached to it while sipp's built-in uac sets up CALLS
# calls at RATE a second (CALL_MS long, the IVR answering). Prints each system call's count per
# call, largest first. Unlike CPU time, these counts do not depend on the machine's load.
# Usage: RATE=250 CALLS=2500 CALL_MS=200 bench/syscalls-setup.sh      (needs strace)
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${RATE:-250} calls=${CALLS:-2500} call_ms=${CALL_MS:-200}
command -v strace >/dev/null || { echo "strace missing: apt-get install strace" >&2; exit 1; }
RTP_MIN=${RTP_MIN:-30000} RTP_MAX=${RTP_MAX:-49999}
. bench/platform.sh
(cd "$work" && sipp -sn uac "127.0.0.1:$port" -s 95500 -i 127.0.0.1 -m 3000 -r 300 -nostdin >/dev/null 2>&1) || true
sleep 3
strace -c -f -p "$platform" -o "$work/strace.txt" &
strace_pid=$!
sleep 2
(cd "$work" && sipp -sn uac "127.0.0.1:$port" -s 95500 -i 127.0.0.1 -m "$calls" -r "$rate" -d "$call_ms" -l $((rate * 4 + 100)) \
   -nostdin -timeout $((calls / rate * 3 + 30))s >/dev/null 2>&1) || true
sleep 2
kill -INT "$strace_pid"; wait "$strace_pid" 2>/dev/null || true
echo "calls: $calls at $rate/s, CALL_MS=$call_ms; system calls per call:"
awk -v n="$calls" '$1 ~ /^[0-9.]+$/ && NF >= 5 && $NF != "total" { name = $NF; count = $4; if (count / n >= 0.05) printf "  %-18s %6.2f\n", name, count / n }' "$work/strace.txt" | sort -k2 -nr
awk -v n="$calls" '$NF == "total" { printf "  %-18s %6.2f\n", "total", $4 / n }' "$work/strace.txt"
