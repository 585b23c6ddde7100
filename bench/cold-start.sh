#!/usr/bin/env bash
# Calls from a cold start (issue 11): the platform (Release) starts, and the moment /health answers
# 200 (no warm-up) sipp's built-in uac offers RATE calls/s for CALLS calls of CALL_MS each, at most
# LIMIT at once. Prints calls attempted and failed, the failures in the first 5 s, and the median /
# p95 INVITE→200 (upper bounds of sipp's response-time buckets), as bench/sipp-rate.sh does.
# Usage: RATE=1000 CALLS=5000 CALL_MS=200 LIMIT=3000 bench/cold-start.sh
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${RATE:-1000} calls=${CALLS:-5000} call_ms=${CALL_MS:-200} limit=${LIMIT:-3000}
RTP_MIN=${RTP_MIN:-30000} RTP_MAX=${RTP_MAX:-49999}
. bench/platform.sh
{ sipp -sd uac || true; } | sed 's/ResponseTimeRepartition value="[^"]*"/ResponseTimeRepartition value="1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 30, 50, 100, 200, 500, 1000, 2000, 5000"/' >"$work/uac.xml"
(cd "$work" && sipp -sf "$work/uac.xml" "127.0.0.1:$port" -s 95500 -i 127.0.0.1 -m "$calls" -r "$rate" -l "$limit" -d "$call_ms" \
   -nostdin -trace_stat -stf stats.csv -fd 1 -timeout 120s -max_socket 65000 >sipp.log 2>&1) || true
PYTHONPATH=bench python3 - "$work/stats.csv" <<'PY'
import sys
from sipp_stats import SippStats
stats = SippStats(sys.argv[1])
# -fd 1: one row a second; the failures counted by the fifth second after the start.
print(f"calls {stats.ok + stats.failed}  failed {stats.failed}  failed in the first 5 s {stats.failed_by_row(5)}  "
      f"median <={stats.percentile(0.5):g} ms  p95 <={stats.percentile(0.95):g} ms")
PY
