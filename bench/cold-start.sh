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
python3 - "$work/stats.csv" <<'PY'
import csv, re, sys
rows = list(csv.reader(open(sys.argv[1]), delimiter=";"))
head = rows[0]
col = lambda r, name: int(r[head.index(name)])
last = rows[-1]
ok, bad = col(last, "SuccessfulCall(C)"), col(last, "FailedCall(C)")
# -fd 1: one row a second; the failures counted by the fifth second after the start.
first5 = col(rows[min(5, len(rows) - 1)], "FailedCall(C)")
buckets = []
for i, name in enumerate(head):
    m = re.match(r"ResponseTimeRepartition1_(?:<(\d+)|(\d+)<n<(\d+)|>=(\d+))$", name)
    if m:
        upper = m.group(1) or m.group(3)
        buckets.append((float(upper) if upper else float("inf"), int(last[i])))
total = sum(n for _, n in buckets)
def pct(p):
    seen = 0
    for upper, n in buckets:
        seen += n
        if total and seen >= p * total:
            return upper
    return float("nan")
print(f"calls {ok + bad}  failed {bad}  failed in the first 5 s {first5}  median <={pct(0.5):g} ms  p95 <={pct(0.95):g} ms")
PY
